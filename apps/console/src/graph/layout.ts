/**
 * Lays a definition out with ELK (elkjs, the Eclipse Layout Kernel's layered algorithm): states are nodes,
 * Parallel branches and Map item processors are nodes nested in their state, transitions are edges drawn
 * orthogonally with their labels (Choice rules, Default, Catch). The result is absolute coordinates to draw.
 */
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Definition, MachineDef, StateDef } from '../model/definition';

export const START = '__start__';
export const END = '__end__';

export interface LaidNode {
  id: string;
  /** The state name, or undefined for the start/end markers and branch frames. */
  state?: string;
  kind: 'state' | 'compound' | 'branch' | 'start' | 'end';
  type?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  depth: number;
}

export interface LaidEdge {
  id: string;
  points: { x: number; y: number }[];
  kind: 'next' | 'choice' | 'default' | 'catch' | 'start' | 'end';
  label?: { text: string; x: number; y: number; width: number; height: number };
}

export interface Layout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
}

/** ELK is large (1.4 MB): loaded on first use, in its own chunk, so lists and events show without waiting for it. */
let elk: Promise<ElkApi> | undefined;
function loadElk(): Promise<ElkApi> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elk;
}
const FONT = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SMALL = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
let measureCtx: CanvasRenderingContext2D | null | undefined;

function textWidth(text: string, font: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '18',
  'elk.spacing.edgeEdge': '12',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.inline': 'false',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // Loops (a Choice back to an earlier state) point back up; the flow from Start reads top-down.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};
const COMPOUND_OPTIONS = { 'elk.padding': '[top=40,left=18,bottom=18,right=18]' };
/** A Map's frame has a second line: which iteration it shows. */
const MAP_OPTIONS = { 'elk.padding': '[top=56,left=18,bottom=18,right=18]' };

export async function layoutDefinition(def: Definition): Promise<Layout> {
  const meta = new Map<string, Omit<LaidNode, 'x' | 'y' | 'width' | 'height'>>();
  const edgeMeta = new Map<string, LaidEdge['kind']>();
  const root: ElkNode = { id: 'root', layoutOptions: ROOT_OPTIONS, ...machineGraph(def.root, 0, meta, edgeMeta, true) };
  const laid = await (await loadElk()).layout(root);
  const nodes: LaidNode[] = [];
  const walk = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      const m = meta.get(c.id);
      if (m) nodes.push({ ...m, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c);
    }
  };
  walk(laid);
  const edges: LaidEdge[] = [];
  const collect = (n: ElkNode): void => {
    for (const e of n.edges ?? []) edges.push(toEdge(e, edgeMeta.get(e.id) ?? 'next'));
    for (const c of n.children ?? []) collect(c);
  };
  collect(laid);
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}

function machineGraph(
  m: MachineDef,
  depth: number,
  meta: Map<string, Omit<LaidNode, 'x' | 'y' | 'width' | 'height'>>,
  edgeMeta: Map<string, LaidEdge['kind']>,
  top: boolean,
): Pick<ElkNode, 'children' | 'edges'> {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  const edge = (source: string, target: string, kind: LaidEdge['kind'], label?: string): void => {
    const id = `e${edgeMeta.size}`;
    edgeMeta.set(id, kind);
    edges.push({
      id, sources: [source], targets: [target],
      ...(label ? { labels: [{ text: label, width: textWidth(label, SMALL) + 10, height: 16 }] } : {}),
    });
  };
  if (top) {
    children.push({ id: START, width: 64, height: 26 });
    meta.set(START, { id: START, kind: 'start', label: 'Start', depth });
    children.push({ id: END, width: 64, height: 26 });
    meta.set(END, { id: END, kind: 'end', label: 'End', depth });
    edge(START, m.startAt, 'start');
  }
  for (const s of m.states) {
    children.push(stateNode(s, depth, meta, edgeMeta));
    for (const t of s.transitions) edge(s.name, t.to, t.kind, t.label);
    if (top && s.end) edge(s.name, END, 'end');
  }
  return { children, edges };
}

function stateNode(
  s: StateDef,
  depth: number,
  meta: Map<string, Omit<LaidNode, 'x' | 'y' | 'width' | 'height'>>,
  edgeMeta: Map<string, LaidEdge['kind']>,
): ElkNode {
  const label = s.name;
  if (s.children.length === 0) {
    meta.set(s.name, { id: s.name, state: s.name, kind: 'state', type: s.type, label, depth });
    const width = Math.max(132, Math.max(textWidth(label, FONT), textWidth(typeLabel(s), SMALL)) + 36);
    return { id: s.name, width, height: 48 };
  }
  meta.set(s.name, { id: s.name, state: s.name, kind: 'compound', type: s.type, label, depth });
  const minWidth = textWidth(`${s.type}  ${label}`, FONT) + 60;
  let inner: ElkNode[];
  let innerEdges: ElkExtendedEdge[] = [];
  if (s.type === 'Parallel') {
    inner = s.children.map((b, i) => {
      const id = `${s.name}/branch-${i}`;
      meta.set(id, { id, kind: 'branch', label: `Branch ${i + 1}`, depth: depth + 1 });
      return { id, layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' }, ...machineGraph(b, depth + 2, meta, edgeMeta, false) };
    });
  } else {
    const g = machineGraph(s.children[0]!, depth + 1, meta, edgeMeta, false);
    inner = g.children ?? [];
    innerEdges = g.edges ?? [];
  }
  return {
    id: s.name,
    layoutOptions: { ...(s.type === 'Map' ? MAP_OPTIONS : COMPOUND_OPTIONS), 'elk.nodeSize.minimum': `(${Math.round(minWidth)}, 80)`, 'elk.nodeSize.constraints': 'MINIMUM_SIZE' },
    children: inner,
    edges: innerEdges,
  };
}

export function typeLabel(s: Pick<StateDef, 'type' | 'resource' | 'waitsForAnswer'>): string {
  if (s.type !== 'Task' || !s.resource) return s.type;
  if (/:activity:/.test(s.resource)) return 'Task · activity';
  const m = /^arn:[^:]+:states:::([^:]+):([^.]+)/.exec(s.resource);
  if (m) return `Task · ${m[1]}:${m[2]}${s.waitsForAnswer ? ' (callback)' : ''}`;
  if (/:lambda:/.test(s.resource)) return 'Task · lambda';
  return 'Task';
}

function toEdge(e: ElkExtendedEdge, kind: LaidEdge['kind']): LaidEdge {
  const points: { x: number; y: number }[] = [];
  for (const sec of e.sections ?? []) {
    points.push(sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint);
  }
  const l = e.labels?.[0];
  return {
    id: e.id, points, kind,
    ...(l?.text ? { label: { text: l.text, x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}),
  };
}
