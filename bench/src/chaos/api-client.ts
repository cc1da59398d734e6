/**
 * A small Step Functions JSON 1.0 client for the chaos run (developer mode: no signing). Calls are retried
 * while the API process is down or restarting; AWS errors come back as `{ error }` for the caller to judge.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export class ChaosApi {
  calls = 0;
  retries = 0;

  constructor(private readonly url: () => string) {}

  async call<T>(action: string, body: object, options: { deadlineMs?: number; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
    const end = Date.now() + (options.deadlineMs ?? 120_000);
    for (let attempt = 0; ; attempt++) {
      this.calls++;
      try {
        const res = await fetch(this.url(), {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action}` },
          body: JSON.stringify(body),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const text = await res.text();
        const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        if (res.status === 200) return { ok: true, value: json as T };
        const code = String(json.__type ?? '').split('#').pop() ?? '';
        // 5xx: the server (or its database) is having a moment; the call is safe to repeat.
        if (res.status < 500) return { ok: false, code, message: String(json.message ?? json.Message ?? '') };
      } catch (e) {
        if (options.signal?.aborted) throw e;
      }
      if (Date.now() > end) throw new Error(`${action}: no answer from the API for ${options.deadlineMs ?? 120_000} ms`);
      this.retries++;
      await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** Math.min(attempt, 5))));
    }
  }
}
