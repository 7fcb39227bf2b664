/**
 * Parts of a page that show only sometimes (the large picture view, the mask
 * editor, the first-run card…) are chunks of their own, defined when first
 * shown: render their tag as usual and call the loader there. Until the
 * chunk arrives the tag is an undefined element; Lit keeps the properties
 * set on it and the element upgrades in place.
 */
export function onDemand(load: () => Promise<unknown>): () => void {
  let started = false;
  return () => {
    if (started) return;
    started = true;
    load().catch((err: unknown) => {
      started = false; // try again on the next render
      console.error(err);
    });
  };
}
