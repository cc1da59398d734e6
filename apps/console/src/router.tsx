/**
 * Bookmarkable views: /console/ (state machines), /console/state-machines/{ARN}, /console/executions/{ARN}, the
 * ARN encoded with encodeURIComponent. Query parameters keep a view's filters, so a search is a link too.
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/console';

export type Route =
  | { kind: 'machines' }
  | { kind: 'machine'; arn: string }
  | { kind: 'execution'; arn: string }
  | { kind: 'notFound'; path: string };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter((p) => p !== '');
  try {
    if (parts.length === 0) return { kind: 'machines' };
    if (parts.length === 2 && parts[0] === 'state-machines') return { kind: 'machine', arn: decodeURIComponent(parts[1]!) };
    if (parts.length === 2 && parts[0] === 'executions') return { kind: 'execution', arn: decodeURIComponent(parts[1]!) };
  } catch {
    // a malformed percent-encoding: not found
  }
  return { kind: 'notFound', path: pathname };
}

export const machinePath = (arn: string): string => `${BASE}/state-machines/${encodeURIComponent(arn)}`;
export const executionPath = (arn: string): string => `${BASE}/executions/${encodeURIComponent(arn)}`;

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation(): { pathname: string; search: string } {
  const [loc, setLoc] = useState({ pathname: location.pathname, search: location.search });
  useEffect(() => {
    const on = () => setLoc({ pathname: location.pathname, search: location.search });
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return loc;
}

/** An ordinary link (open in a new tab, copy) that navigates in place on a plain click. */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={to} onClick={onClick} />;
}
