/** Small real images for tests: PNGs from the stand-in's encoder, an 8x8 JPEG and WebP made with ImageMagick. */
import { encodePng, renderGradient } from "../standin/png";

export const JPEG_8x8 = Uint8Array.from(atob("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAIAAgDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAACP/EABgQAAIDAAAAAAAAAAAAAAAAAAABFmOR/8QAFQEBAQAAAAAAAAAAAAAAAAAABwj/xAAXEQADAQAAAAAAAAAAAAAAAAAAGGOh/9oADAMBAAIRAxEAPwAbT25aOK1xwo5ga6f/2Q=="), (c) => c.charCodeAt(0));
export const WEBP_8x8 = Uint8Array.from(atob("UklGRlIAAABXRUJQVlA4IEYAAADwAgCdASoIAAgAAUAmJagCdLcAlgH8A/AC7/wPQBXFAAD++dwH71bguc//ma7O/OlcZU/+cRf+cRf/ScXCY/xOLhMSAkAA"), (c) => c.charCodeAt(0));

export function png(width = 8, height = 8, text: Record<string, string> = {}): Uint8Array {
  return encodePng(width, height, renderGradient(width, height, 1), text);
}

export const dataUrl = (bytes: Uint8Array, mime = "image/png") => `data:${mime};base64,${Buffer.from(bytes).toString("base64")}`;
