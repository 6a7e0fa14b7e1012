/**
 * The text of the top-level declaration `name` in a module's source (from its `export` to the line before
 * the next `export`), so that the page shows the code it actually runs.
 */
export function sourceOf(source: string, name: string): string {
  const blocks = source.split(/\n(?=export )/);
  const block = blocks.find((text) => new RegExp(`^export (?:function|const) ${name}\\b`).test(text));
  if (block === undefined) throw new Error(`no declaration ${name} in the given source`);
  return block.replace(/^export /, '').trim();
}
