/**
 * The metric names a Grafana dashboard or a Prometheus rule file references, read with Prometheus' own PromQL
 * grammar (@prometheus-io/lezer-promql): every vector selector's metric name, from every expression. An
 * expression the grammar cannot parse is reported, not skipped.
 */
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export interface Expressions {
  /** Where each expression is (panel title, alert name) and its text. */
  items: { where: string; expr: string }[];
}

export function dashboardExpressions(path: string): Expressions {
  const dashboard = JSON.parse(readFileSync(path, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[]; templating: { list: { name: string; definition?: string }[] } };
  const items = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel '${p.title}'`, expr: t.expr })));
  for (const v of dashboard.templating.list) {
    const m = v.definition && /^label_values\((\w+),/.exec(v.definition);
    if (m) items.push({ where: `variable '${v.name}'`, expr: m[1]! });
  }
  return { items };
}

export function ruleExpressions(path: string): Expressions & { alerts: string[] } {
  const file = parseYaml(readFileSync(path, 'utf8')) as { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] };
  const rules = file.groups.flatMap((g) => g.rules);
  return { items: rules.map((r) => ({ where: `rule '${r.alert ?? r.record}'`, expr: String(r.expr) })), alerts: rules.flatMap((r) => (r.alert ? [r.alert] : [])) };
}

/** Grafana's interval variables, replaced by a duration so that the PromQL grammar reads the expression. */
const GRAFANA_VARIABLES: [RegExp, string][] = [[/\$__rate_interval|\$__interval|\$__range/g, '5m'], [/\$state_machine/g, '.*']];

/** The metric names the expression selects; throws naming the expression when it does not parse. */
export function metricNames(where: string, expr: string): string[] {
  const text = GRAFANA_VARIABLES.reduce((t, [re, to]) => t.replace(re, to), expr);
  const tree = parser.parse(text);
  const names: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`${where}: PromQL does not parse at ${cursor.from}: ${text}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') names.push(text.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return names;
}
