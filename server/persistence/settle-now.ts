// Synchronous backends (SQLite via better-sqlite3, memory) still speak the async DocumentStore
// interface; this runs their work now and turns a throw into a rejection, as the contract requires.
export function settleNow<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
