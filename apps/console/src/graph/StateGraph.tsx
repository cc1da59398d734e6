/**
 * Draws a laid-out definition as SVG: each state a box with its name and type, coloured by what happened to it;
 * Parallel branches and Map item processors inside their state; transitions as arrows with their labels. Every
 * state is focusable and selectable with the keyboard (Tab, Enter/Space) and names its status for screen readers.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Definition } from '../model/definition';
import type { NodeStatus } from '../model/history';
import { STATUS_LABEL } from '../components/status';
import { layoutDefinition, typeLabel, type LaidEdge, type LaidNode, type Layout } from './layout';

export interface StateGraphProps {
  definition: Definition;
  /** What happened to each state (undefined: no execution, everything drawn neutral). */
  statusOf?: (state: string) => NodeStatus;
  /** A note drawn on a compound state's frame (the chosen Map iteration). */
  noteOf?: (state: string) => string | undefined;
  selected?: string | undefined;
  onSelect?: (state: string) => void;
  label: string;
  /** A state to bring into view when the graph is taller than its frame (e.g. the failed one). */
  focus?: string | undefined;
}

const layouts = new WeakMap<Definition, Promise<Layout>>();

export function StateGraph({ definition, statusOf, noteOf, selected, onSelect, label, focus }: StateGraphProps) {
  const [layout, setLayout] = useState<Layout | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(800);

  useEffect(() => {
    let live = true;
    let p = layouts.get(definition);
    if (!p) {
      p = layoutDefinition(definition);
      layouts.set(definition, p);
    }
    p.then((l) => live && setLayout(l), (e: unknown) => live && setFailed(String(e)));
    return () => {
      live = false;
    };
  }, [definition]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Small changes (a scrollbar coming and going) are ignored: following them could oscillate forever.
    const ro = new ResizeObserver(() => setBoxWidth((w) => (Math.abs(w - el.clientWidth) > 24 ? el.clientWidth : w)));
    ro.observe(el);
    setBoxWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const scale = useMemo(() => {
    if (!layout) return 1;
    if (zoom !== 'fit') return zoom;
    return Math.min(1.1, Math.max(0.35, (boxWidth - 8) / Math.max(1, layout.width)));
  }, [layout, zoom, boxWidth]);

  // Brings the focus state into view once, when it first becomes known (not on every update: the user may scroll).
  const shownFocus = useRef<string | undefined>(undefined);
  useEffect(() => {
    const el = box.current;
    if (!layout || !el || !focus || shownFocus.current === focus) return;
    const n = layout.nodes.find((x) => x.state === focus);
    if (!n) return;
    shownFocus.current = focus;
    const y = (n.y + n.height / 2) * scale - el.clientHeight / 2;
    if ((n.y + n.height) * scale > el.clientHeight) el.scrollTo({ top: Math.max(0, y) });
  }, [layout, focus, scale]);

  const current = typeof zoom === 'number' ? zoom : scale;
  return (
    <div className="graph" role="group" aria-label={label}>
      <div className="graph-tools">
        <button type="button" className="icon-button" aria-label="Zoom out" onClick={() => setZoom(Math.max(0.25, current / 1.25))}>−</button>
        <button type="button" className="icon-button" aria-label="Zoom in" onClick={() => setZoom(Math.min(3, current * 1.25))}>+</button>
        <button type="button" className="link-button" onClick={() => setZoom('fit')}>Fit</button>
      </div>
      <div className="graph-canvas" ref={box}>
        {failed && <p className="error-text">The graph could not be drawn: {failed}</p>}
        {!layout && !failed && <p className="muted">Drawing the graph…</p>}
        {layout && (
          <svg
            width={layout.width * scale}
            height={layout.height * scale}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="img"
            aria-label={`${label}: ${layout.nodes.filter((n) => n.state).length} states`}
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
              </marker>
            </defs>
            {layout.nodes.filter((n) => n.kind === 'compound' || n.kind === 'branch').map((n) => (
              <Frame key={n.id} node={n} status={n.state ? statusOf?.(n.state) : undefined} note={n.state ? noteOf?.(n.state) : undefined} selected={selected === n.state} onSelect={onSelect} />
            ))}
            {layout.edges.map((e) => <Edge key={e.id} edge={e} />)}
            {layout.nodes.filter((n) => n.kind !== 'compound' && n.kind !== 'branch').map((n) => (
              <Node key={n.id} node={n} definition={definition} status={n.state ? statusOf?.(n.state) : undefined} selected={selected === n.state} onSelect={onSelect} />
            ))}
          </svg>
        )}
      </div>
    </div>
  );
}

function activate(state: string | undefined, onSelect: ((s: string) => void) | undefined) {
  return {
    onClick: () => state && onSelect?.(state),
    onKeyDown: (e: KeyboardEvent) => {
      if ((e.key === 'Enter' || e.key === ' ') && state) {
        e.preventDefault();
        onSelect?.(state);
      }
    },
  };
}

function Node({ node, definition, status, selected, onSelect }: { node: LaidNode; definition: Definition; status?: NodeStatus | undefined; selected: boolean; onSelect?: ((s: string) => void) | undefined }) {
  if (node.kind === 'start' || node.kind === 'end') {
    return (
      <g className={`marker marker-${node.kind}`} aria-hidden="true">
        <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={node.height / 2} />
        <text x={node.x + node.width / 2} y={node.y + node.height / 2 + 4} textAnchor="middle">{node.label}</text>
      </g>
    );
  }
  const def = definition.states.get(node.state!);
  const cls = `node status-${status ?? 'none'}${selected ? ' selected' : ''}`;
  const statusText = status ? `, ${STATUS_LABEL[status]}` : '';
  return (
    <g
      className={cls}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${node.label}, ${def?.type ?? ''} state${statusText}`}
      data-state={node.state}
      data-status={status ?? 'none'}
      {...activate(node.state, onSelect)}
    >
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={8} />
      <text className="node-name" x={node.x + node.width / 2} y={node.y + 21} textAnchor="middle">{node.label}</text>
      <text className="node-type" x={node.x + node.width / 2} y={node.y + 37} textAnchor="middle">{def ? typeLabel(def) : ''}</text>
    </g>
  );
}

function Frame({ node, status, note, selected, onSelect }: { node: LaidNode; status?: NodeStatus | undefined; note?: string | undefined; selected: boolean; onSelect?: ((s: string) => void) | undefined }) {
  if (node.kind === 'branch') {
    return (
      <g className="branch" aria-hidden="true">
        <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={8} />
        <text x={node.x + 10} y={node.y + 19}>{node.label}</text>
      </g>
    );
  }
  return (
    <g
      className={`frame status-${status ?? 'none'}${selected ? ' selected' : ''}`}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${node.label}, ${node.type} state${status ? `, ${STATUS_LABEL[status]}` : ''}${note ? `, ${note}` : ''}`}
      data-state={node.state}
      data-status={status ?? 'none'}
      {...activate(node.state, onSelect)}
    >
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={10} />
      <text className="frame-title" x={node.x + 12} y={node.y + 24}>
        <tspan className="frame-type">{node.type}</tspan> {node.label}
      </text>
      {note && <text className="frame-note" x={node.x + 12} y={node.y + 42}>{note}</text>}
    </g>
  );
}

function Edge({ edge }: { edge: LaidEdge }) {
  if (edge.points.length < 2) return null;
  const d = roundedPath(edge.points);
  return (
    <g className={`edge edge-${edge.kind}`} aria-hidden="true">
      <path d={d} markerEnd="url(#arrow)" />
      {edge.label && (
        <g className="edge-label">
          <rect x={edge.label.x} y={edge.label.y} width={edge.label.width} height={edge.label.height} rx={4} />
          <text x={edge.label.x + edge.label.width / 2} y={edge.label.y + 12} textAnchor="middle">{edge.label.text}</text>
        </g>
      )}
    </g>
  );
}

/** An orthogonal polyline with its corners rounded. */
function roundedPath(points: { x: number; y: number }[]): string {
  const r = 6;
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i - 1]!;
    const c = points[i]!;
    const n = points[i + 1]!;
    const d1 = Math.min(r, Math.hypot(c.x - p.x, c.y - p.y) / 2);
    const d2 = Math.min(r, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = toward(c, p, d1);
    const b = toward(c, n, d2);
    d += ` L ${a.x} ${a.y} Q ${c.x} ${c.y} ${b.x} ${b.y}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L ${last.x} ${last.y}`;
}

function toward(from: { x: number; y: number }, to: { x: number; y: number }, dist: number): { x: number; y: number } {
  const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: from.x + ((to.x - from.x) / len) * dist, y: from.y + ((to.y - from.y) / len) * dist };
}
