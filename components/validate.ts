/** Argument checks shared by components: each throws an Error naming the component, the field and the bad value. */

export function requireIntInRange(where: string, field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: ${field} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

export function requireNonEmpty(where: string, field: string, values: readonly unknown[]): void {
  if (values.length === 0) throw new Error(`${where}: ${field} must list at least one entry`);
}

export function requireMatch(where: string, field: string, value: string, pattern: RegExp, expected: string): void {
  if (!pattern.test(value)) throw new Error(`${where}: ${field} must be ${expected}, got "${value}"`);
}
