/**
 * The console shell: asks the server whether it must sign in (authentication off in developer mode: open;
 * otherwise one of BATON_API_KEYS, once, for a session cookie), then shows the view the URL names.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiFailure, whenSignedOut } from './api/client';
import type { SessionInfo } from './api/types';
import { BASE, Link, parseRoute, useLocation } from './router';
import { ExecutionPage } from './views/ExecutionPage';
import { StateMachineList } from './views/StateMachineList';
import { StateMachinePage } from './views/StateMachinePage';

export function App() {
  const [session, setSession] = useState<SessionInfo | 'signed-out' | undefined>();
  const [error, setError] = useState<string | undefined>();

  const check = useCallback(() => {
    api.session().then(setSession, (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 401) setSession('signed-out');
      else setError(e instanceof Error ? e.message : String(e));
    });
  }, []);
  useEffect(() => {
    whenSignedOut(() => setSession('signed-out'));
    check();
  }, [check]);

  if (error) return <Shell><div className="page"><p className="error-text" role="alert">Baton did not answer: {error}</p></div></Shell>;
  if (session === undefined) return <Shell><div className="page"><p className="muted">Loading…</p></div></Shell>;
  if (session === 'signed-out') return <Shell><SignIn onSignedIn={setSession} /></Shell>;
  return (
    <Shell
      signOut={session.mode === 'session' ? () => void api.signOut().then(() => setSession('signed-out')) : undefined}
      mode={session.mode}
    >
      <Routes />
    </Shell>
  );
}

function Routes() {
  const { pathname } = useLocation();
  const route = parseRoute(pathname);
  useEffect(() => {
    // (block body: in current Chromium scrollTo returns a promise, which React would take for a cleanup)
    window.scrollTo(0, 0);
  }, [pathname]);
  switch (route.kind) {
    case 'machines':
      return <StateMachineList />;
    case 'machine':
      return <StateMachinePage key={route.arn} arn={route.arn} />;
    case 'execution':
      return <ExecutionPage key={route.arn} arn={route.arn} />;
    case 'notFound':
      return (
        <div className="page">
          <h1>Nothing here</h1>
          <p><Link to={`${BASE}/`}>Go to the state machines</Link></p>
        </div>
      );
  }
}

function Shell({ children, signOut, mode }: { children: React.ReactNode; signOut?: (() => void) | undefined; mode?: SessionInfo['mode'] }) {
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to={`${BASE}/`} className="brand" aria-label="Baton console home">
          <span className="brand-mark" aria-hidden="true">B</span> Baton <span className="brand-sub">console</span>
        </Link>
        <nav aria-label="Main">
          <Link to={`${BASE}/`}>State machines</Link>
          <a href="/openapi.json">REST API</a>
        </nav>
        <div className="topbar-end">
          {mode === 'open' && <span className="dev-chip" title="Authentication is off: developer mode on loopback">developer mode</span>}
          {signOut && <button type="button" className="link-button light" onClick={signOut}>Sign out</button>}
        </div>
      </header>
      <main id="main">{children}</main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    api.signIn(key.trim()).then(onSignedIn, (err: unknown) => {
      setProblem(err instanceof Error ? err.message : String(err));
      setBusy(false);
    });
  };
  return (
    <div className="page narrow">
      <form className="card signin" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Baton</h1>
        <p className="muted">Paste one of the server's <code>BATON_API_KEYS</code>. The browser keeps a session for 12 hours; the key itself is not stored.</p>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input id="api-key" type="password" autoComplete="current-password" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus />
        </div>
        {problem && <p className="error-text" role="alert">{problem}</p>}
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>
  );
}
