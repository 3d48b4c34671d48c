/**
 * Who gets in: no reverse-proxy route may publish an app that has no login of its own. The rule reads what any
 * program gives Docker: every container's uploaded Caddyfile (its sites, their `reverse_proxy` upstreams and whether
 * a `forward_auth` guards them) and the labels a login-less container carries (`hybridlab.login: none` and
 * `hybridlab.node`, see components/labels.ts). A route reaches such a container by its name and container port
 * (same host) or by its node's address and published port (over the tailnet).
 * https://caddyserver.com/docs/caddyfile/directives/forward_auth
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LABEL_CONTAINER_NODE, LABEL_LOGIN, NO_LOGIN } from "../../components/labels";
import { CONTAINER } from "./containers";
import { isRecord, labelMap } from "./shared";

/** One site block of a Caddyfile: its addresses, upstreams, and whether forward_auth guards it. */
export interface CaddySiteRoutes {
  readonly addresses: readonly string[];
  readonly upstreams: readonly string[];
  readonly guarded: boolean;
}

interface Block {
  readonly head: string;
  readonly lines: readonly string[];
}

/** Top-level blocks of a Caddyfile: the head before `{` and the body's directive lines. */
function topLevelBlocks(caddyfile: string): Block[] {
  const blocks: Block[] = [];
  let depth = 0;
  let current: { head: string; lines: string[] } | undefined;
  for (const raw of caddyfile.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    if (depth === 0 && line.endsWith("{")) {
      current = { head: line.slice(0, -1).trim(), lines: [] };
      depth = 1;
      continue;
    }
    if (current && depth > 0) {
      if (line === "}") depth--;
      else {
        current.lines.push(line);
        if (line.endsWith("{")) depth++;
      }
      if (depth === 0) blocks.push(current);
    }
  }
  return blocks;
}

/** The sites of a Caddyfile that serve hostnames (not the global options, snippets or `:port` listeners). */
export function caddySites(caddyfile: string): CaddySiteRoutes[] {
  const blocks = topLevelBlocks(caddyfile);
  const snippets = new Map(blocks.filter((b) => /^\(.+\)$/.test(b.head)).map((b) => [b.head.slice(1, -1), b.lines]));
  return blocks
    .filter((b) => b.head !== "" && !b.head.startsWith("(") && b.head.split(/[\s,]+/).some((a) => !a.startsWith(":")))
    .map((b) => {
      const lines = b.lines.flatMap((line) => (line.startsWith("import ") ? (snippets.get(line.split(/\s+/)[1]) ?? []) : [line]));
      return {
        addresses: b.head.split(/[\s,]+/).filter((a) => a !== ""),
        upstreams: lines.filter((l) => l.startsWith("reverse_proxy ")).flatMap((l) => l.split(/\s+/).slice(1).filter((t) => !t.startsWith("{") && !t.startsWith("/"))),
        guarded: lines.some((l) => l.startsWith("forward_auth ")),
      };
    });
}

interface LoginlessContainer {
  readonly name: string;
  readonly node?: string;
  readonly ports: ReadonlyArray<{ readonly internal: number; readonly external?: number }>;
}

function loginlessContainers(resources: readonly PolicyResource[]): LoginlessContainer[] {
  return resources.flatMap((r): LoginlessContainer[] => {
    if (r.type !== CONTAINER) return [];
    const labels = labelMap(r.props.labels);
    if (labels[LABEL_LOGIN] !== NO_LOGIN || typeof r.props.name !== "string") return [];
    const ports = (Array.isArray(r.props.ports) ? r.props.ports : []).filter(isRecord).flatMap((p) =>
      typeof p.internal === "number" ? [{ internal: p.internal, external: typeof p.external === "number" ? p.external : undefined }] : [],
    );
    return [{ name: r.props.name, node: labels[LABEL_CONTAINER_NODE], ports }];
  });
}

/** Uploaded Caddyfiles, by the container that runs them. */
function caddyfiles(resources: readonly PolicyResource[]): Array<{ container: string; content: string }> {
  return resources.flatMap((r) => {
    if (r.type !== CONTAINER || !Array.isArray(r.props.uploads)) return [];
    const container = typeof r.props.name === "string" ? r.props.name : r.name;
    return r.props.uploads
      .filter(isRecord)
      .filter((u) => typeof u.file === "string" && /(^|\/)Caddyfile$/.test(u.file) && typeof u.content === "string")
      .map((u) => ({ container, content: String(u.content) }));
  });
}

/** The login-less container an upstream ("host:port", optionally with a scheme) reaches, if any. */
function reached(upstream: string, containers: readonly LoginlessContainer[]): LoginlessContainer | undefined {
  const match = /^(?:[a-z]+:\/\/)?([^:/\s]+):(\d+)$/i.exec(upstream);
  if (!match) return undefined;
  const [host, port] = [match[1].toLowerCase(), Number(match[2])];
  return containers.find(
    (c) =>
      (host === c.name && c.ports.some((p) => p.internal === port)) ||
      // Over the tailnet: the node's MagicDNS name (bare or with the suffix); without a node label, any host.
      ((c.node === undefined || host.split(".")[0] === c.node) && c.ports.some((p) => p.external === port)),
  );
}

const noPublicRouteWithoutLogin: StackValidationPolicy = {
  name: "no-public-route-without-login",
  description: "A reverse proxy never routes a public site, unguarded by forward_auth, to a container labelled hybridlab.login: none.",
  enforcementLevel: "mandatory",
  url: "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
  validateStack: (args, report) => {
    const containers = loginlessContainers(args.resources);
    for (const { container, content } of caddyfiles(args.resources)) {
      for (const site of caddySites(content)) {
        if (site.guarded) continue;
        for (const upstream of site.upstreams) {
          const target = reached(upstream, containers);
          if (target === undefined) continue;
          report(
            `the Caddyfile of ${container} routes ${site.addresses.join(", ")} to ${upstream}, which is ${target.name} (labelled ${LABEL_LOGIN}: ${NO_LOGIN}), without forward_auth: anyone on the internet could use it; put the site behind single sign-on (exposure: sso) or keep the app on the tailnet (exposure: tailnet)`,
          );
        }
      }
    }
  },
};

export const exposurePolicies: StackValidationPolicy[] = [noPublicRouteWithoutLogin];
