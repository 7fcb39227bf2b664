/**
 * hello.plugin.js — the example Easy Diffusion UI plugin (plugin API 1).
 * Copy it into the plugins/ folder of your data folder (or use Settings →
 * Plugins → "Install plugin from file") and reload the window.
 *
 * It shows every part of the API:
 *  - a tab app ("Hello notes") and a Plugins menu item that opens it,
 *  - a field in the Image tab ("Watercolor style") that changes the prompt,
 *  - a beforeQueue hook that fills an empty negative prompt,
 *  - a button on each picture ("Remember seed") that notes the seed,
 *  - an event listener counting finished tasks.
 */
export default function hello(ed) {
  if (ed.version !== 1) throw new Error(`hello.plugin.js was written for plugin API 1, this app has ${ed.version}`);

  const notes = { finished: 0, seeds: [] };
  const views = new Set();
  const redraw = () => {
    for (const view of views) view.textContent = `Finished tasks: ${notes.finished}. Remembered seeds: ${notes.seeds.join(", ") || "none"}.`;
  };

  ed.registerTabApp({
    id: "hello.notes",
    title: "Hello notes",
    icon: "puzzle",
    singleton: true,
    create() {
      const view = document.createElement("div");
      view.style.padding = "24px";
      view.dataset.helloNotes = "";
      views.add(view);
      redraw();
      return view;
    },
  });
  ed.registerPluginMenuItem({ id: "hello.open", label: "Hello notes", app: "hello.notes" });

  ed.addImageField({
    id: "hello.watercolor",
    label: "Watercolor style",
    type: "checkbox",
    default: false,
    apply: (request, on) => (on ? { ...request, prompt: `${request.prompt}, watercolor` } : request),
  });

  ed.beforeQueue((request) => (request.negative_prompt ? request : { ...request, negative_prompt: "blurry, low quality" }));

  ed.addPictureAction({
    id: "hello.remember",
    label: "Remember seed",
    run: ({ image }) => {
      notes.seeds.push(image.seed);
      redraw();
      ed.openApp("hello.notes");
    },
  });

  ed.on("task.finished", () => {
    notes.finished += 1;
    redraw();
  });
}
