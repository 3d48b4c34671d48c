/**
 * renovate.json (Renovate's validator is not installed here): its shape is checked, and its image pattern is run
 * on the images file, where it must find every pinned image exactly as the catalog holds it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { images } from "../stacks/catalog/containers/images";

const root = path.resolve(__dirname, "..");

interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate: string;
  versioningTemplate: string;
}
interface PackageRule {
  description: string;
  matchManagers: string[];
  matchPackageNames?: string[];
  groupName?: string;
  enabled?: boolean;
}
const config = JSON.parse(readFileSync(path.join(root, "renovate.json"), "utf8")) as {
  $schema: string;
  extends: string[];
  customManagers: CustomManager[];
  packageRules: PackageRule[];
};

/** Renovate matches with RE2 over the whole file and the "g" flag: no lookaround, no backreference, no `m` anchors. */
function asRenovateRuns(pattern: string): RegExp {
  expect(pattern).not.toMatch(/\(\?<?[=!]|\\[1-9]|(?<!\[)\^|\$/);
  return new RegExp(pattern, "g");
}

describe("renovate.json", () => {
  const [manager] = config.customManagers;

  it("has one regex manager for the images file, on Docker tags", () => {
    expect(config.$schema).toBe("https://docs.renovatebot.com/renovate-schema.json");
    expect(config.customManagers).toHaveLength(1);
    expect(manager).toMatchObject({ customType: "regex", datasourceTemplate: "docker", versioningTemplate: "docker" });
    const [filePattern] = manager.managerFilePatterns;
    expect(filePattern).toMatch(/^\/.*\/$/);
    expect(new RegExp(filePattern.slice(1, -1)).test("stacks/catalog/containers/images.ts")).toBe(true);
  });

  it("finds every image of the catalog, name and tag exactly, and nothing else", () => {
    const text = readFileSync(path.join(root, "stacks/catalog/containers/images.ts"), "utf8");
    const found = [...text.matchAll(asRenovateRuns(manager.matchStrings[0]))].map((m) => `${m.groups?.depName}:${m.groups?.currentValue}`);
    expect(found.sort()).toEqual(Object.values(images).sort());
  });

  it("reads a registry host and a tag with a suffix, and skips a line that is not an image", () => {
    const pattern = asRenovateRuns(manager.matchStrings[0]);
    const sample = '  a: "ghcr.io/mlflow/mlflow:v3.17.0-full",\n  // "caddy:2" in a comment\n  b: "apache/spark:4.1.2-scala2.13-java17-python3-ubuntu",\n';
    expect([...sample.matchAll(pattern)].map((m) => [m.groups?.depName, m.groups?.currentValue])).toEqual([
      ["ghcr.io/mlflow/mlflow", "v3.17.0-full"],
      ["apache/spark", "4.1.2-scala2.13-java17-python3-ubuntu"],
    ]);
  });

  it("groups the monitoring images, holds PostgreSQL majors for approval and leaves the retired MinIO images alone", () => {
    const rule = (description: string): PackageRule | undefined => config.packageRules.find((r) => r.description.startsWith(description));
    expect(rule("The monitoring stack")).toMatchObject({ groupName: "monitoring images", matchPackageNames: ["prom/**", "grafana/**", "ghcr.io/google/cadvisor"] });
    expect(rule("A PostgreSQL major")).toMatchObject({ matchPackageNames: ["postgres"], matchUpdateTypes: ["major"], dependencyDashboardApproval: true });
    expect(rule("MinIO")).toMatchObject({ matchPackageNames: ["quay.io/minio/**"], enabled: false });
    expect(Object.values(images).filter((image) => image.startsWith("quay.io/minio/"))).toHaveLength(2);
  });

  it("groups the Pulumi packages of the program and the policy pack, and every rule says why", () => {
    const pulumi = config.packageRules.find((r) => r.groupName === "pulumi packages");
    const pinned = (file: string): string[] => {
      const pkg = JSON.parse(readFileSync(path.join(root, file), "utf8")) as { dependencies?: Record<string, string> };
      return Object.keys(pkg.dependencies ?? {}).filter((name) => name.startsWith("@pulumi/") || name.startsWith("@muhlba91/"));
    };
    const covered = (name: string): boolean => (pulumi?.matchPackageNames ?? []).some((p) => (p.endsWith("/**") ? name.startsWith(p.slice(0, -2)) : name === p));
    expect([...pinned("package.json"), ...pinned("policies/package.json")].filter((name) => !covered(name))).toEqual([]);
    for (const rule of config.packageRules) expect(rule.description.length).toBeGreaterThan(20);
  });
});
