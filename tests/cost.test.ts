import { convert, estateCost, monthlyPrice, USD_PER_EUR } from "../stacks/derive/cost";
import { parseEstate } from "../stacks/estate/load";
import type { Estate } from "../stacks/estate/schema";
import { validEstate, withValue, type Json } from "./fixtures/estate";

function estate(json: Json): Estate {
  const checked = parseEstate(json);
  if (!checked.ok) throw new Error(checked.problems.join("\n"));
  return checked.estate;
}

describe("estateCost", () => {
  test("prices cloud nodes in the budget's currency and lists Proxmox guests at 0", () => {
    // hub: medium -> cx33 EUR 8.99; spoke: s-4vcpu-8gb USD 48 -> 48 / 1.1133 = EUR 43.12
    expect(estateCost(estate(validEstate()))).toEqual({
      currency: "EUR",
      nodes: [
        { node: "devlab", kind: "proxmox-vm", size: "2 cores, 16384 MiB, 30 GiB", monthly: 0 },
        { node: "hub", kind: "hetzner", size: "cx33", monthly: 8.99 },
        { node: "minio", kind: "proxmox-lxc", size: "1 core, 2560 MiB, 10 GiB", monthly: 0 },
        { node: "spoke", kind: "digitalocean", size: "s-4vcpu-8gb", monthly: 43.12 },
      ],
      total: 52.11,
      budget: 80,
      withinBudget: true,
    });
  });

  test("converts EUR prices for a USD budget and flags a total over it", () => {
    const report = estateCost(estate(withValue(withValue(validEstate(), "budget", { monthly: 10, currency: "USD" }), "nodes.spoke", { kind: "azure", role: "spoke", size: "small" })));
    expect(report.nodes.filter((n) => n.monthly > 0)).toEqual([
      { node: "hub", kind: "hetzner", size: "cx33", monthly: 10.01 },
      { node: "spoke", kind: "azure", size: "Standard_B2s", monthly: 37.97 },
    ]);
    expect([report.currency, report.total, report.withinBudget]).toEqual(["USD", 47.98, false]);
  });

  test("uses one fixed rate both ways", () => {
    expect(USD_PER_EUR).toBe(1.1133);
    expect(convert(convert(37.97, "USD", "EUR"), "EUR", "USD")).toBeCloseTo(37.97, 10);
    expect(monthlyPrice("digitalocean", "s-2vcpu-4gb", "EUR")).toBe(21.56);
    expect(monthlyPrice("hetzner", "cx22", "EUR")).toBeUndefined();
  });
});
