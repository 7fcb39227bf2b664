/** A test starter catalogue (models/net/catalog.yaml's shape): one SD 1.x checkpoint file per entry. */
export interface TestStarter {
  id: string;
  title: string;
  description: string;
  url: string;
  name: string;
  size: number;
}

export function catalogYaml(entries: TestStarter[]): string {
  const entry = (e: TestStarter) => `
  - id: ${e.id}
    title: ${e.title}
    family: sd1
    description: ${JSON.stringify(e.description)}
    licence: CreativeML OpenRAIL-M
    licenceUrl: https://example.invalid/licence
    memory: { vramGb: 4, ramGb: 8 }
    files:
      - { url: "${e.url}", kind: stable-diffusion, name: ${e.name}, size: ${e.size} }
    set: { model: ${e.name} }`;
  return `entries:${entries.map(entry).join("")}\n`;
}
