import { readFileSync } from "node:fs";
import * as path from "node:path";
import { VALIDATORS } from "./support/validators";

const root = path.resolve(__dirname, "..");
const read = (file: string): string => readFileSync(path.join(root, file), "utf8");

describe("what the tests need, as the README and CI state it", () => {
  const debian = VALIDATORS.map((v) => v.debianPackage);

  it("CI installs exactly the Debian packages of the validators the tests run", () => {
    const listed = /^validators=\(([^)]*)\)$/m.exec(read(".ci/run"))?.[1].trim().split(/\s+/);
    expect(listed).toEqual(debian);
  });

  it("the README's apt and Homebrew lines install the same validators", () => {
    const readme = read("README.md");
    expect(readme).toContain(`sudo apt-get install -y --no-install-recommends ${debian.join(" ")}`);
    expect(readme).toContain(`brew install ${VALIDATORS.flatMap((v) => (v.brewFormula ? [v.brewFormula] : [])).join(" ")}`);
  });
});
