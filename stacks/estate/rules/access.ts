/**
 * Who may reach SSH from outside the tailnet: `access.adminCidrs`, compared as a set of addresses. Several prefixes
 * that together cover the internet open SSH to the internet as surely as 0.0.0.0/0 does.
 */
import { addressSet, internetFamilies, parsePrefix, type Prefix } from "../net";
import type { EstateProblem, Rule } from "./problem";

const familyName = { ipv4: "IPv4", ipv6: "IPv6" } as const;

export const adminNetworks: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const prefixes: Prefix[] = [];
  let alone = false;
  estate.access.adminCidrs.forEach((cidr, i) => {
    const prefix = parsePrefix(cidr);
    if (!prefix) return; // the schema reports it
    prefixes.push(prefix);
    // A firewall would silently widen 198.51.100.7/24 to the whole /24; say which one was meant.
    if (prefix.hostBitsSet) {
      const host = `${prefix.address}/${prefix.family === "ipv4" ? 32 : 128}`;
      problems.push({ path: ["access", "adminCidrs", i], message: `${cidr} has host bits set: write ${prefix.network} for the network, or ${host} for one address` });
    }
    if (estate.environment === "prod" && internetFamilies(addressSet([prefix])).length > 0) {
      alone = true;
      problems.push({ path: ["access", "adminCidrs", i], message: `${cidr} opens SSH to the whole internet; in prod list your admin networks, or none to use the tailnet only` });
    }
  });
  // Only when no single network is the internet already: that one is the finding.
  if (estate.environment === "prod" && !alone) {
    for (const family of internetFamilies(addressSet(prefixes))) {
      const parts = prefixes.filter((p) => p.family === family).map((p) => p.network);
      problems.push({
        path: ["access", "adminCidrs"],
        message: `together ${parts.join(", ")} cover the whole ${familyName[family]} internet, which opens SSH to everyone; in prod list your admin networks, or none to use the tailnet only`,
      });
    }
  }
  return problems;
};
