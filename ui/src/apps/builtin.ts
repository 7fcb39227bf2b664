/**
 * The tab apps Easy Diffusion ships with. Their titles and icons are here;
 * their code is not: the Image tab comes with the first paint, every other
 * app is a chunk of its own that `load` fetches when its first tab opens.
 */
import "./image/ed-image-app";
import type { TabAppDef, TabAppRegistry } from "./registry";

const info = (heading: string, description: string, extra: Record<string, unknown> = {}) => ({
  tag: "ed-app-info",
  load: () => import("./info/ed-app-info"),
  props: { heading, description, ...extra },
});

export const BUILTIN_APPS: TabAppDef[] = [
  { id: "image", title: "Image", icon: "image", singleton: false, incognito: true, tag: "ed-image-app" },
  // Videos: a chunk of its own, fetched when the first Video tab opens (issue 22).
  { id: "video", title: "Video", icon: "video", singleton: false, tag: "ed-video-app", load: () => import("./video/ed-video-app") },
  { id: "settings", title: "Settings", icon: "settings", singleton: true, tag: "ed-settings-app", load: () => import("./settings/ed-settings-app") },
  { id: "gallery", title: "Gallery", icon: "gallery", singleton: true, tag: "ed-gallery-app", load: () => import("./gallery/ed-gallery-app") },
  {
    id: "model-browser",
    title: "Model Browser",
    icon: "models",
    singleton: true,
    tag: "ed-models-app",
    load: () => import("./models/ed-models-app"),
  },
  {
    id: "downloads",
    title: "Downloads",
    icon: "download",
    singleton: true,
    tag: "ed-downloads-app",
    load: () => import("./downloads/ed-downloads-app"),
  },
  {
    id: "engine",
    title: "Engine",
    icon: "engine",
    singleton: true,
    tag: "ed-engine-app",
    load: () => import("./engine/ed-engine-app"),
  },
  {
    id: "whats-new",
    title: "What's new?",
    icon: "megaphone",
    singleton: true,
    newTab: false,
    ...info(
      "What's new?",
      "Easy Diffusion 4 is one small app: it starts in under a second, opens its own window, and runs the stable-diffusion.cpp engine, " +
        "which it downloads for your graphics card on first start.\n\n" +
        "Work is organised in tabs: open as many Image tabs as you like, and they come back when you start again. Incognito tabs are never saved.",
      { showVersion: true },
    ),
  },
  {
    id: "help",
    title: "Help & Community",
    icon: "people",
    singleton: true,
    newTab: false,
    ...info("Help & Community", "Questions, ideas and bug reports are welcome. These open in your browser.", {
      links: [
        { label: "Easy Diffusion on GitHub", href: "https://github.com/easydiffusion/easydiffusion" },
        { label: "Guides and troubleshooting (wiki)", href: "https://github.com/easydiffusion/easydiffusion/wiki" },
        { label: "Report a problem", href: "https://github.com/easydiffusion/easydiffusion/issues" },
        { label: "Discord community", href: "https://discord.com/invite/u9yhsFmEkB" },
      ],
    }),
  },
  {
    // The logo opens it: what is running, and where the API and the documentation are.
    id: "about",
    title: "About",
    icon: "image",
    singleton: true,
    newTab: false,
    ...info(
      "About Easy Diffusion",
      "Makes pictures from text on your own computer, with the stable-diffusion.cpp engine. Nothing leaves this computer unless you download a model.",
      {
        showVersion: true,
        showEngine: true,
        links: [
          { label: "The API, for scripts and other apps (/api/docs)", href: "/api/docs" },
          { label: "README: install, command line, where files live", href: "https://github.com/easydiffusion/easydiffusion#readme" },
        ],
      },
    ),
  },
];

export function registerBuiltinApps(registry: TabAppRegistry) {
  for (const app of BUILTIN_APPS) registry.registerTabApp(app);
}
