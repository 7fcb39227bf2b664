/** QR codes of the login link, as SVG for Settings and as text for the terminal (qrcode-generator). */
import qrcode from "qrcode-generator";

function make(text: string) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  return qr;
}

export function qrSvg(text: string): string {
  return make(text).createSvgTag({ cellSize: 4, margin: 4, scalable: true });
}

/** Half-block characters: two rows of modules per line, dark on a light frame, readable by phone cameras from a terminal. */
export function qrText(text: string): string {
  const qr = make(text);
  const n = qr.getModuleCount();
  const dark = (r: number, c: number) => r >= 0 && r < n && c >= 0 && c < n && qr.isDark(r, c);
  const lines: string[] = [];
  for (let r = -2; r < n + 2; r += 2) {
    let line = "";
    for (let c = -2; c < n + 2; c++) {
      const top = dark(r, c);
      const bottom = dark(r + 1, c);
      line += top && bottom ? " " : top ? "▄" : bottom ? "▀" : "█";
    }
    lines.push(line);
  }
  return lines.join("\n");
}
