/**
 * The web console in a real browser (Chromium through playwright-core) against a real Baton: the engine on
 * Postgres + BullMQ with its worker and timer, and the real API server serving the built console, authentication
 * on. A person signs in with an API key, starts an execution, watches the graph colour its states, answers a
 * waiting activity from the page, opens events, searches, stops an execution, follows a running one without a
 * reload, redrives a failed one from its page, uses the keyboard, and opens a 25,000-event history (the time is printed, not asserted).
 * Screenshots of every page: test-artifacts/console/*.png.
 */
import * as S from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID, REST_KEY, SECRET_KEY, startEngineStack, type EngineStack } from '../api/support/engine-stack.js';
import { assertConsoleBuilt, CONSOLE_DIR, openBrowser, type Browser } from './support/browser.js';
import { LONG_HISTORY_EVENTS, longHistory, orders, ticker } from './support/machines.js';

const ROLE = 'arn:aws:iam::123456789012:role/console';

describe('the console, authentication on (Postgres + BullMQ)', () => {
  let stack: EngineStack;
  let sfn: S.SFNClient;
  let browser: Browser;
  let arns: Record<'orders' | 'ticker' | 'long', string>;

  beforeAll(async () => {
    assertConsoleBuilt();
    stack = await startEngineStack('postgres', {}, { consoleDirectory: CONSOLE_DIR });
    sfn = new S.SFNClient({ endpoint: stack.url, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY }, maxAttempts: 1 });
    const { activityArn } = await sfn.send(new S.CreateActivityCommand({ name: 'approve' }));
    const create = async (name: string, definition: object) =>
      (await sfn.send(new S.CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }))).stateMachineArn!;
    arns = { orders: await create('orders', orders(activityArn!)), ticker: await create('ticker', ticker), long: await create('long-history', longHistory) };
    browser = await openBrowser();
  }, 120_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await browser?.shot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
    sfn?.destroy();
    await stack?.stop();
  });

  async function finished(executionArn: string): Promise<S.DescribeExecutionCommandOutput> {
    for (let i = 0; i < 1200; i++) {
      const d = await sfn.send(new S.DescribeExecutionCommand({ executionArn }));
      if (d.status !== 'RUNNING') return d;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${executionArn} did not finish`);
  }

  it('asks for an API key once and keeps an HttpOnly, SameSite=Strict session; state changes need the CSRF token', async () => {
    const { page, context } = browser;
    await page.goto(`${stack.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await browser.shot('sign-in');
    await page.getByLabel('API key').fill('not-a-key-of-this-server');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not one of BATON_API_KEYS' }).waitFor();
    await page.getByLabel('API key').fill(REST_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'State machines', exact: true }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'baton_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(REST_KEY);
    // The cookie alone does not change anything: a POST without the CSRF header is refused.
    const forged = await page.evaluate(async (arn) => {
      const r = await fetch(`/v1/state-machines/${encodeURIComponent(arn)}/executions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: r.status, body: await r.json() };
    }, arns.ticker);
    expect(forged).toEqual({ status: 403, body: { code: 'AccessDeniedException', message: expect.stringContaining('CSRF') } });
    // The page itself never needed the key again: a reload keeps the session.
    await page.reload();
    await page.getByRole('link', { name: 'orders' }).waitFor();
    await browser.shot('state-machines');
  });

  it('starts an execution from a machine page, colours the graph, and answers the waiting activity from the page', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'orders' }).click();
    await page.getByRole('heading', { name: /orders/ }).waitFor();
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/console/state-machines/${arns.orders}`);
    await page.locator('[data-state="Approve"]').first().waitFor();
    await browser.shot('state-machine');

    await page.getByRole('button', { name: 'Start execution' }).click();
    const dialog = page.getByRole('dialog', { name: /Start an execution of orders/ });
    await dialog.getByLabel(/^Name/).fill('order-A-17');
    const input = dialog.getByLabel('Input');
    await input.fill('{"orderId": "A-17", items: []}');
    await dialog.getByText(/Not valid JSON/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Start execution' }).isDisabled()).toBe(true);
    await input.fill(JSON.stringify({ orderId: 'A-17', customer: 'Ada', items: [{ sku: 'pen', qty: 2 }, { sku: 'ink', qty: 1 }, { sku: 'pad', qty: 3 }] }, null, 2));
    await dialog.getByText('Valid JSON').waitFor();
    await browser.shot('start-execution');
    await dialog.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/\/console\/executions\//);
    const executionArn = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(executionArn).toBe(arns.orders.replace(':stateMachine:', ':execution:') + ':order-A-17');

    // The graph colours what happened; the activity waits, and the page offers to answer it (no token shown).
    await expect.poll(() => page.locator('[data-state="Validate"]').getAttribute('data-status')).toBe('succeeded');
    await expect.poll(() => page.locator('[data-state="Approve"]').getAttribute('data-status')).toBe('waiting');
    expect(await page.locator('[data-state="Ship"]').getAttribute('data-status')).toBe('notReached');
    const waiting = page.getByRole('region', { name: 'Waiting for an answer' });
    await waiting.getByText('No worker has taken this task yet.').waitFor();
    expect(await page.content()).not.toMatch(/taskToken/i);
    await browser.shot('execution-waiting');

    await waiting.getByRole('button', { name: 'Send success for Approve' }).click();
    const answer = page.getByRole('dialog', { name: /Send success: Approve/ });
    await answer.getByLabel(/Output/).fill('{"approved": true, "by": "console test"}');
    await answer.getByRole('button', { name: 'Send success' }).click();
    // Live: the page follows the execution to its end without a reload.
    await page.getByText('Succeeded', { exact: true }).first().waitFor();
    await expect.poll(() => page.locator('[data-state="Done"]').getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('[data-state="Approve"]').getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('[data-state="Reject"]').getAttribute('data-status')).toBe('notReached');
    const described = await finished(executionArn);
    expect(JSON.parse(described.output!)).toMatchObject({ approval: { approved: true, by: 'console test' } });
    const history = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(history.events!.find((e) => e.type === 'ActivityStarted')?.activityStartedEventDetails?.workerName).toBe('baton-console');

    // A Map iteration can be picked; the inspector shows a state's input, output and variables.
    await page.getByLabel(/Map Pack: iteration/).selectOption('2');
    await page.locator('[data-state="PackItem"]').click();
    const inspector = page.getByRole('complementary', { name: 'State inspector: PackItem' });
    await inspector.getByText('"pad"').first().waitFor();
    await page.locator('[data-state="Validate"]').click();
    await page.getByRole('complementary', { name: 'State inspector: Validate' }).getByText('Variables after Assign').waitFor();
    await browser.shot('execution-succeeded');

    // An event opens to its output.
    const events = page.getByRole('table', { name: 'History events' });
    const activitySucceeded = events.getByRole('button', { name: /ActivitySucceeded/ });
    await activitySucceeded.click();
    expect(await activitySucceeded.getAttribute('aria-expanded')).toBe('true');
    await events.getByText('"console test"').waitFor();
    await page.getByRole('heading', { name: /^Events/ }).scrollIntoViewIfNeeded();
    await browser.shot('execution-event-open');
  });

  it('shows a failed execution: the failing state in red, the error and cause', async () => {
    const { page } = browser;
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: arns.orders, name: 'order-empty', input: JSON.stringify({ orderId: 'B-2' }) }));
    await finished(executionArn!);
    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(executionArn!)}`);
    await page.getByRole('note', { name: 'Why the execution ended' }).getByText('Order.Invalid').waitFor();
    expect(await page.locator('[data-state="Reject"]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('[data-state="CheckStock"]').getAttribute('data-status')).toBe('succeeded');
    await browser.shot('execution-failed');
  });

  it('searches executions by a value in their input, by status and by error', async () => {
    const { page } = browser;
    for (let i = 0; i < 6; i++) {
      await sfn.send(new S.StartExecutionCommand({ stateMachineArn: arns.orders, name: `bulk-${i}`, input: JSON.stringify({ orderId: `C-${i}` }) }));
    }
    await page.goto(`${stack.url}/console/state-machines/${encodeURIComponent(arns.orders)}`);
    await page.getByLabel('Input', { exact: true }).fill('orderId = A-17');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const table = page.getByRole('region', { name: 'Executions' }).getByRole('table');
    await expect.poll(() => table.getByRole('link').allTextContents()).toEqual(['order-A-17']);
    expect(new URL(page.url()).searchParams.get('input')).toBe('orderId = A-17');
    await browser.shot('search-input');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('group', { name: 'Filter by status' }).getByRole('button', { name: 'Failed' }).click();
    await expect.poll(async () => (await table.getByRole('link').allTextContents()).length).toBe(7);
    await page.getByLabel('Error', { exact: true }).fill('order.invalid');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(async () => (await table.getByRole('link').allTextContents()).length).toBe(7);
    await browser.shot('search-failed');
  });

  it('follows a running execution without a reload, and stops one', async () => {
    const { page } = browser;
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: arns.ticker, name: 'tick-1' }));
    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(executionArn!)}`);
    await expect.poll(() => page.locator('[data-state="First"]').getAttribute('data-status'), { timeout: 5_000 }).toBe('waiting');
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    await browser.shot('execution-running');
    await expect.poll(() => page.locator('[data-state="Second"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('waiting');
    expect(await page.locator('[data-state="First"]').getAttribute('data-status')).toBe('succeeded');
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);

    await page.getByRole('button', { name: 'Stop execution' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop this execution?' });
    await dialog.getByLabel(/Error/).fill('Operator.Stopped');
    await dialog.getByRole('button', { name: 'Stop execution' }).click();
    await page.getByRole('note', { name: 'Why the execution ended' }).getByText('Operator.Stopped').waitFor();
    await expect.poll(() => page.locator('[data-state="Second"]').getAttribute('data-status')).toBe('aborted');
    expect((await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await browser.shot('execution-stopped');
  });

  it('redrives a failed execution from its page: it continues from the state that failed', async () => {
    const { page } = browser;
    // Fails until it is redriven ($states.context.Execution.RedriveCount), after a Wait state that succeeds.
    const flaky = (await sfn.send(new S.CreateStateMachineCommand({
      name: 'flaky', roleArn: ROLE, definition: JSON.stringify({
        QueryLanguage: 'JSONata', StartAt: 'Hold',
        States: {
          Hold: { Type: 'Wait', Seconds: 1, Next: 'Flaky' },
          Flaky: { Type: 'Pass', Output: "{% $states.context.Execution.RedriveCount > 0 ? 'fixed' : $error('not yet') %}", End: true },
        },
      }),
    }))).stateMachineArn!;
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: flaky, name: 'flaky-1' }));
    expect((await finished(executionArn!)).status).toBe('FAILED');
    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(executionArn!)}`);
    await page.getByRole('note', { name: 'Why the execution ended' }).getByText('States.QueryEvaluationError').waitFor();
    // The state that failed is the one in red: its EvaluationFailed event chains to the event before the state was
    // entered (as AWS records it) and names the state in its details.
    expect(await page.locator('[data-state="Flaky"]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('[data-state="Hold"]').getAttribute('data-status')).toBe('succeeded');
    await page.getByRole('button', { name: 'Redrive', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Redrive this execution?' });
    await browser.shot('execution-redrive-dialog');
    await dialog.getByRole('button', { name: 'Redrive execution' }).click();
    await expect.poll(() => page.locator('[data-state="Flaky"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('dl.summary').textContent()).toMatch(/Redriven1 time, last/);
    expect(await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, output: '"fixed"' });
    const events = (await sfn.send(new S.GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
    // Only the state that failed ran again: the Wait state was entered once.
    expect(events.filter((t) => t === 'WaitStateEntered')).toHaveLength(1);
    expect(events.filter((t) => t === 'PassStateEntered')).toHaveLength(2);
    expect(events).toContain('ExecutionRedriven');
    // Succeeded now: no Redrive button any more.
    await page.getByRole('button', { name: 'Redrive', exact: true }).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('dl.summary').textContent()).not.toContain('still running');
    await browser.shot('execution-redriven');
  });

  it('works with the keyboard and names things for screen readers', async () => {
    const { page } = browser;
    const executionArn = arns.orders.replace(':stateMachine:', ':execution:') + ':order-A-17';
    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(executionArn)}`);
    const node = page.getByRole('button', { name: 'Fulfil, Parallel state, succeeded' });
    await node.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'State inspector: Fulfil' }).waitFor();
    // Tab reaches the graph's states in order, and Space selects one.
    await page.getByRole('button', { name: /^Validate, Pass state/ }).focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'));
    expect(focused).toMatch(/state, (succeeded|not reached)/);
    await page.keyboard.press(' ');
    await page.getByRole('complementary', { name: `State inspector: ${focused!.split(',')[0]}` }).waitFor();
    // Events: each row's toggle is a button with its event named; Enter opens it.
    const toggle = page.getByRole('button', { name: /^Event 1, ExecutionStarted/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('table', { name: 'History events' }).getAttribute('aria-rowcount')).toMatch(/^\d+$/);
    // The skip link and the landmarks.
    await page.keyboard.press('Home');
    expect(await page.getByRole('link', { name: 'Skip to content' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: `Graph of order-A-17` }).count()).toBe(1);
  });

  it(`opens a history of ${LONG_HISTORY_EVENTS.toLocaleString()} events`, async () => {
    const { page } = browser;
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: arns.long, name: 'long' }));
    const done = await finished(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    await page.goto(`${stack.url}/console/`);
    const started = Date.now();
    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(executionArn!)}`);
    // The page shows with the first events; the rest of the history streams in behind it.
    await page.getByRole('button', { name: /^Event 1, ExecutionStarted/ }).waitFor();
    const shownMs = Date.now() - started;
    await page.getByTestId('event-count').filter({ hasText: LONG_HISTORY_EVENTS.toLocaleString('en-US') }).waitFor({ timeout: 60_000 });
    await expect.poll(async () => Number(await page.locator('[data-load-ms]').getAttribute('data-load-ms')), { timeout: 60_000 }).toBeGreaterThan(0);
    const wallMs = Date.now() - started;
    const loadMs = Number(await page.locator('[data-load-ms]').getAttribute('data-load-ms'));
    const firstMs = Number(await page.locator('[data-first-ms]').getAttribute('data-first-ms'));
    // Figures, not assertions (speed lives in npm run bench): printed for the report.
    console.log(`console: ${LONG_HISTORY_EVENTS} events: page shown ${shownMs} ms after navigation (first events ${firstMs} ms), whole history ${loadMs} ms (${wallMs} ms after navigation)`);
    expect(await page.locator('[data-state="Done"]').getAttribute('data-status')).toBe('succeeded');
    const rendered = await page.locator('.events-item').count();
    expect(rendered).toBeLessThan(200); // virtualised: only the rows on screen exist
    await page.locator('.events-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByRole('button', { name: new RegExp(`^Event ${LONG_HISTORY_EVENTS}, ExecutionSucceeded`) }).waitFor();
    await browser.shot('execution-25k-events');
  }, 180_000);
});

describe('the console in developer mode (embedded, authentication off)', () => {
  let stack: EngineStack;
  let browser: Browser;

  beforeAll(async () => {
    assertConsoleBuilt();
    stack = await startEngineStack('embedded', {}, { consoleDirectory: CONSOLE_DIR });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('GET / leads to the console, open without signing in; assets are immutable, the page no-cache', async () => {
    const { page } = browser;
    const response = await page.goto(`${stack.url}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect(response!.headers()['cache-control']).toBe('no-cache');
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'No state machines yet' }).waitFor();
    await page.getByText('developer mode').waitFor();
    const script = await page.locator('script[src]').first().getAttribute('src');
    const asset = await fetch(`${stack.url}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await browser.shot('developer-mode-empty');
  });
});
