export async function startSlack(..._a: unknown[]): Promise<void> { throw new Error('not yet'); }
