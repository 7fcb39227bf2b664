/** Request bodies of the plugin routes (the OpenAPI document uses them too). Browser-safe. */
import { z } from "zod";

export const installFromUrlSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL of a .plugin.js file" }),
    /** The file name to save as; defaults to the URL's last path segment. */
    name: z.string().max(128).optional(),
  })
  .meta({ id: "PluginInstallFromUrl", example: { url: "https://example.com/hello.plugin.js" } });

export const pluginPatchSchema = z.strictObject({ enabled: z.boolean() }).meta({ id: "PluginPatch", example: { enabled: false } });

export const pluginErrorSchema = z
  .strictObject({ message: z.string().max(4000) })
  .meta({ id: "PluginError", example: { message: "TypeError: api.addTab is not a function" } });

export const pluginInfoSchema = z
  .object({ file: z.string(), name: z.string(), enabled: z.boolean(), error: z.string().optional(), size: z.number(), modified: z.number() })
  .meta({ id: "Plugin", example: { file: "hello.plugin.js", name: "hello", enabled: true, size: 812, modified: 1767225600000 } });

export const pluginListSchema = z
  .object({ apiVersion: z.number(), folder: z.string(), plugins: z.array(pluginInfoSchema) })
  .meta({
    id: "PluginList",
    example: {
      apiVersion: 1,
      folder: "/home/me/.local/share/easy-diffusion/plugins",
      plugins: [{ file: "hello.plugin.js", name: "hello", enabled: true, size: 812, modified: 1767225600000 }],
    },
  });
