// How the fake's controllers react to watch events: like client-go's workqueue, which holds a key once however
// often it is added, every event of one turn of the event loop ends in a single sync on the next turn.
export function coalesced(sync: () => void): () => void {
  let pending = false;
  return () => {
    if (!pending) {
      pending = true;
      setImmediate(() => {
        pending = false;
        sync();
      });
    }
  };
}
