/** Polls until `fn` returns something truthy (a positive signal), or fails naming what it waited for. */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | false | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
