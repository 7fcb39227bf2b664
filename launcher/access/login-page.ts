/**
 * The page a device without a session sees: paste the token (from the app's
 * Settings on the computer running it) or scan the QR code there. Plain HTML,
 * no script, so it works in any browser; light or dark as that device prefers
 * (the app's own theme setting is not known to a device not logged in).
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(options: { error?: string; retryAfter?: number } = {}): string {
  const error = options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="dark light">
<title>Easy Diffusion: log in</title>
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#1b1c1e;color:#e8e8e8;font:15px system-ui,sans-serif}
main{width:min(92vw,420px);padding:24px;border:1px solid #333;border-radius:8px;background:#232427}
h1{font-size:20px;margin:0 0 8px}p{color:#aaa;line-height:1.4}
input{box-sizing:border-box;width:100%;padding:9px;border:1px solid #444;border-radius:4px;background:#1b1c1e;color:#eee;font:14px ui-monospace,monospace}
button{margin-top:12px;padding:8px 18px;border:0;border-radius:4px;background:#3d7bd9;color:#fff;font:inherit}
.error{color:#ff8a80}
@media (prefers-color-scheme: light){
body{background:#f1f3f4;color:#202124}main{background:#fff;border-color:#dadce0}p{color:#5f6368}
input{background:#fff;color:#202124;border-color:#bdc1c6}.error{color:#b3261e}button{background:#1a73e8}
}
</style></head>
<body><main>
<h1>Easy Diffusion</h1>
<p>This device needs the access token. On the computer running Easy Diffusion, open Settings → Other devices and scan the QR code, or copy the token here.</p>
${error}
<form method="post" action="/login"><label for="token">Access token</label>
<input id="token" name="token" autocomplete="current-password" autofocus required>
<button type="submit">Log in</button></form>
</main></body></html>`;
}
