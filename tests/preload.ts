/** Test preload: the server imports ui/dist/manifest.ts, so build the UI once per run. */
import { buildUi } from "../scripts/build-ui";

await buildUi({ minify: false });
