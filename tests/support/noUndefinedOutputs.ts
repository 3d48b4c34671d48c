/**
 * Fails the test during which Pulumi warns "Undefined value (x) will not show as a stack output": a program under
 * test returned something with an undefined output (e.g. a component instead of nothing), which `npm test` would
 * otherwise only print.
 */
const UNDEFINED_OUTPUT = /Undefined value \(.+\) will not show as a stack output/;
const warnings: string[] = [];
const warn = console.warn.bind(console);

console.warn = (...args: unknown[]): void => {
  const text = args.map(String).join(" ");
  if (UNDEFINED_OUTPUT.test(text)) warnings.push(text);
  else warn(...args);
};

afterEach(() => {
  const seen = warnings.splice(0);
  expect(seen).toEqual([]);
});
