/**
 * Monthly cost of the estate's cloud nodes, from the one price table (components/cloud/cloudSizes.ts), in the
 * budget's currency. The plan's cost section and the pack's `monthly-budget` rule both price through
 * `monthlyPrice`, so they cannot disagree. Pure: no Pulumi, no I/O, and no runtime import beyond the catalog, so
 * the policy pack can load it.
 */
import { cloudCatalog, resolveCloudSize, type CloudProvider } from "../../components/cloud/cloudSizes";
import type { Estate } from "../estate/schema";

export type Currency = "EUR" | "USD";

/**
 * One fixed exchange rate for the whole project: 1 EUR = 1.1133 USD, the ECB euro reference rate of 2026-10-28 as
 * quoted in https://raw.githubusercontent.com/moveinfra/eu-cloud-prices/main/data/eu-cloud-prices.json - the rate
 * the catalog already used to turn Azure's EUR prices into USD, so a price converted there and back is unchanged.
 * Fixed so a plan is reproducible; a few percent of drift is below the prices' own uncertainty. Re-read it
 * (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/) with the prices.
 */
export const USD_PER_EUR = 1.1133;
export const EXCHANGE_RATE_SOURCE = "ECB euro reference rate of 2026-10-28 (1 EUR = 1.1133 USD)";

export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

export function convert(amount: number, from: Currency, to: Currency): number {
  if (from === to) return amount;
  return from === "EUR" ? amount * USD_PER_EUR : amount / USD_PER_EUR;
}

/** A provider size's list price per month in `currency`, rounded to cents; undefined when the table lacks it. */
export function monthlyPrice(provider: CloudProvider, providerSize: string, currency: Currency): number | undefined {
  const catalog = cloudCatalog[provider];
  const size = catalog.sizes[providerSize];
  return size === undefined ? undefined : roundCents(convert(size.monthlyPrice, catalog.currency, currency));
}

export interface NodeCost {
  readonly node: string;
  readonly kind: Estate["nodes"][string]["kind"];
  /** The provider size (classes resolved), or the guest's cores/memory/disk for a Proxmox guest. */
  readonly size: string;
  /** Per month in the report's currency; 0 for Proxmox guests, which run on owned hardware. */
  readonly monthly: number;
}

export interface CostReport {
  /** The budget's currency; every amount is in it. */
  readonly currency: Currency;
  /** Every node, by name. */
  readonly nodes: NodeCost[];
  /** Sum of the (rounded) node amounts. */
  readonly total: number;
  /** The monthly budget; absent when the estate states none (it has no paid node then). */
  readonly budget?: number;
  /** Whether the total fits the budget; true without a budget, since nothing is paid. */
  readonly withinBudget: boolean;
}

export function estateCost(estate: Pick<Estate, "nodes" | "budget">): CostReport {
  // Without a budget nothing is paid (the estate rules refuse paid nodes without one): amounts are 0 in any currency.
  const currency = estate.budget?.currency ?? "EUR";
  const nodes = Object.entries(estate.nodes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, node]): NodeCost => {
      if (node.kind === "proxmox-vm" || node.kind === "proxmox-lxc") {
        return { node: name, kind: node.kind, size: `${node.cores} ${node.cores === 1 ? "core" : "cores"}, ${node.memoryMiB} MiB, ${node.diskGiB} GiB`, monthly: 0 };
      }
      const size = resolveCloudSize(node.kind, node.size);
      const monthly = monthlyPrice(node.kind, size, currency);
      // The estate rules reject unknown sizes before anything is planned.
      if (monthly === undefined) throw new Error(`internal: ${node.kind} size "${size}" of node ${name} has no price`);
      return { node: name, kind: node.kind, size, monthly };
    });
  const total = roundCents(nodes.reduce((sum, n) => sum + n.monthly, 0));
  const budget = estate.budget?.monthly;
  return { currency, nodes, total, ...(budget === undefined ? {} : { budget }), withinBudget: budget === undefined || total <= budget };
}
