/**
 * An ASL definition as the console draws it: machines (the top level, each Parallel branch, each Map item
 * processor) holding states, the transitions between them, and which Map and Parallel states enclose each state.
 * State names are unique across a whole definition (ASL), so a name identifies a node everywhere.
 */

export interface Transition {
  to: string;
  kind: 'next' | 'choice' | 'default' | 'catch';
  label?: string;
}

export interface StateDef {
  name: string;
  type: string;
  /** The Map or Parallel state whose branch or item processor holds this state (undefined at the top level). */
  container?: string;
  transitions: Transition[];
  end: boolean;
  resource?: string;
  /** A Task answered from outside: an activity, or a `.waitForTaskToken` integration. */
  waitsForAnswer: boolean;
  /** Parallel: its branches; Map: its item processor (one machine). */
  children: MachineDef[];
  comment?: string;
}

export interface MachineDef {
  id: string;
  startAt: string;
  states: StateDef[];
}

export interface Definition {
  root: MachineDef;
  states: Map<string, StateDef>;
  comment?: string;
}

type Raw = Record<string, unknown>;

export function parseDefinition(text: string): Definition {
  const raw = JSON.parse(text) as Raw;
  const states = new Map<string, StateDef>();
  const root = machine(raw, 'root', undefined, states);
  return { root, states, ...(typeof raw.Comment === 'string' ? { comment: raw.Comment } : {}) };
}

function machine(raw: Raw, id: string, container: string | undefined, all: Map<string, StateDef>): MachineDef {
  const statesRaw = (raw.States ?? {}) as Record<string, Raw>;
  const states: StateDef[] = [];
  for (const [name, s] of Object.entries(statesRaw)) {
    const def = state(name, s, container, all);
    states.push(def);
    all.set(name, def);
  }
  return { id, startAt: String(raw.StartAt ?? ''), states };
}

function state(name: string, s: Raw, container: string | undefined, all: Map<string, StateDef>): StateDef {
  const type = String(s.Type ?? 'Unknown');
  const transitions: Transition[] = [];
  if (typeof s.Next === 'string') transitions.push({ to: s.Next, kind: 'next' });
  if (Array.isArray(s.Choices)) {
    s.Choices.forEach((c: Raw, i) => {
      if (typeof c.Next === 'string') transitions.push({ to: c.Next, kind: 'choice', label: `Rule #${i + 1}` });
    });
  }
  if (typeof s.Default === 'string') transitions.push({ to: s.Default, kind: 'default', label: 'Default' });
  if (Array.isArray(s.Catch)) {
    for (const c of s.Catch as Raw[]) {
      if (typeof c.Next === 'string') {
        const errors = Array.isArray(c.ErrorEquals) ? (c.ErrorEquals as string[]).join(', ') : '';
        transitions.push({ to: c.Next, kind: 'catch', label: `Catch ${errors}`.trim() });
      }
    }
  }
  const children: MachineDef[] = [];
  if (type === 'Parallel' && Array.isArray(s.Branches)) {
    (s.Branches as Raw[]).forEach((b, i) => children.push(machine(b, `${name}/branch-${i}`, name, all)));
  }
  if (type === 'Map') {
    const processor = (s.ItemProcessor ?? s.Iterator) as Raw | undefined;
    if (processor) children.push(machine(processor, `${name}/items`, name, all));
  }
  const resource = typeof s.Resource === 'string' ? s.Resource : undefined;
  const waitsForAnswer = resource !== undefined && (/:activity:/.test(resource) || resource.endsWith('.waitForTaskToken'));
  return {
    name, type, transitions, children, waitsForAnswer,
    end: s.End === true || type === 'Succeed' || type === 'Fail',
    ...(container !== undefined ? { container } : {}),
    ...(resource !== undefined ? { resource } : {}),
    ...(typeof s.Comment === 'string' ? { comment: s.Comment } : {}),
  };
}

/** The Map states around a state, outermost first. */
export function mapAncestors(def: Definition, name: string): string[] {
  const out: string[] = [];
  for (let c = def.states.get(name)?.container; c !== undefined; c = def.states.get(c)?.container) {
    if (def.states.get(c)?.type === 'Map') out.unshift(c);
  }
  return out;
}
