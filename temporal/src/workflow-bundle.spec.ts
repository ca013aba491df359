import { withoutEmbeddedSources } from './workflow-bundle';

const inlineMap = (map: object) =>
  `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;

function mapOf(code: string): Record<string, unknown> {
  const base64 = code.slice(code.indexOf('base64,') + 'base64,'.length);
  return JSON.parse(Buffer.from(base64, 'base64').toString()) as Record<string, unknown>;
}

describe('withoutEmbeddedSources', () => {
  const map = {
    version: 3,
    file: 'workflow-bundle.js',
    sources: ['checkout.workflow.ts'],
    sourcesContent: ['export async function checkout() {}'],
    mappings: 'AAAA;AACA',
  };
  const code = `var workflows = {};\n${inlineMap(map)}\n`;

  it('drops the embedded sources and keeps the code and the mappings', () => {
    const stripped = withoutEmbeddedSources(code);
    expect(stripped.startsWith('var workflows = {};\n//# sourceMappingURL=')).toBe(true);
    expect(mapOf(stripped)).toEqual({
      version: 3,
      file: 'workflow-bundle.js',
      sources: ['checkout.workflow.ts'],
      mappings: 'AAAA;AACA',
    });
  });

  it('leaves a bundle without an inline map as it is', () => {
    expect(withoutEmbeddedSources('var workflows = {};\n')).toBe('var workflows = {};\n');
  });
});
