/**
 * Transitions between the states of one machine (AWS: MISSING_TRANSITION_TARGET, MISSING_END_STATE). StartAt,
 * Next, a Choice rule's Next, Default and a Catcher's Next must name a state of the same machine
 * ("Missing 'Next' target: <name>" at that field, whatever the field is called); every state must be reachable
 * from StartAt ("State \"<name>\" is not reachable." at the state); the top-level machine needs a terminal state
 * (End: true, Succeed or Fail) - "Workflow has no terminal state", without a location - and when it has none the
 * unreachable states are not reported; nor are they when StartAt is missing (AWS then only says StartAt is
 * required). AWS lists the missing targets first.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { at, item, type Report } from './diagnostics.js';
import type { MachineRecord } from './context.js';
import { message } from './messages.js';

interface Transition {
  readonly target: string;
  readonly location: string;
}

function transitionsOf(state: JsonObject, location: string): Transition[] {
  const out: Transition[] = [];
  if (typeof state.Next === 'string') out.push({ target: state.Next, location: at(location, 'Next') });
  if (Array.isArray(state.Choices) && state.Type === 'Choice') {
    state.Choices.forEach((rule, i) => {
      if (isJsonObject(rule) && typeof rule.Next === 'string') {
        out.push({ target: rule.Next, location: at(item(at(location, 'Choices'), i), 'Next') });
      }
    });
  }
  if (typeof state.Default === 'string' && state.Type === 'Choice') out.push({ target: state.Default, location: at(location, 'Default') });
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (isJsonObject(catcher) && typeof catcher.Next === 'string') {
        out.push({ target: catcher.Next, location: at(item(at(location, 'Catch'), i), 'Next') });
      }
    });
  }
  return out;
}

function isTerminal(state: unknown): boolean {
  return isJsonObject(state) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail');
}

export function checkTransitions(report: Report, machine: MachineRecord): void {
  const { states, location } = machine;
  const statesLocation = at(location, 'States');
  const edges = new Map<string, string[]>();
  if (typeof machine.startAt === 'string' && !Object.hasOwn(states, machine.startAt)) {
    report.error('MISSING_TRANSITION_TARGET', message.missingTarget(machine.startAt), at(location, 'StartAt'));
  }
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const targets: string[] = [];
    for (const t of transitionsOf(state, at(statesLocation, name))) {
      if (Object.hasOwn(states, t.target)) targets.push(t.target);
      else report.error('MISSING_TRANSITION_TARGET', message.missingTarget(t.target), t.location);
    }
    edges.set(name, targets);
  }
  if (machine.root && !Object.values(states).some(isTerminal)) {
    report.error('MISSING_END_STATE', message.noTerminal());
    return;
  }
  if (typeof machine.startAt !== 'string') return;
  const reached = new Set<string>();
  const pending = Object.hasOwn(states, machine.startAt) ? [machine.startAt] : [];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...(edges.get(name) ?? []));
  }
  for (const name of Object.keys(states)) {
    if (!reached.has(name)) report.error('MISSING_TRANSITION_TARGET', message.unreachable(name), at(statesLocation, name));
  }
}
