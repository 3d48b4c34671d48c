/**
 * Cost: every cloud machine has a price, and together they stay within the budget. Prices come from the one
 * table the plan's cost report uses (components/cloud/cloudSizes.ts via stacks/derive/cost.ts), read from the
 * resources themselves so the rule works the same under `pulumi preview --policy-pack`.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { CloudProvider } from "../../components/cloud/cloudSizes";
import { monthlyPrice, roundCents, type Currency } from "../../stacks/derive/cost";
import { AZURE_VM, DROPLET, HCLOUD_SERVER, type AzureVmProps, type DropletProps, type HcloudServerProps } from "./machines";
import { nodeOf, resourceRule } from "./shared";

type MachineProps = HcloudServerProps & DropletProps & AzureVmProps;

const sizeReaders: Record<string, [CloudProvider, (p: MachineProps) => string | undefined]> = {
  [HCLOUD_SERVER]: ["hetzner", (p) => p.serverType],
  [DROPLET]: ["digitalocean", (p) => p.size],
  [AZURE_VM]: ["azure", (p) => p.hardwareProfile?.vmSize],
};

/** The provider and size a cloud machine resource is billed for; undefined for anything else. */
export function machineSize(type: string, props: MachineProps): { provider: CloudProvider; size: string } | undefined {
  const reader = sizeReaders[type];
  if (!reader) return undefined;
  const size = reader[1](props);
  return typeof size === "string" ? { provider: reader[0], size } : undefined;
}

const cloudSizePriced = resourceRule<MachineProps>({
  name: "cloud-size-priced",
  description: "Every cloud machine's size is in the price table, so the budget can be checked (components/cloud/cloudSizes.ts).",
  enforcementLevel: "mandatory",
  types: Object.keys(sizeReaders),
  url: "https://www.hetzner.com/cloud/",
  validate: (props, args, report) => {
    const machine = machineSize(args.type, props);
    if (!machine) {
      report(`${args.name} names no size`);
    } else if (monthlyPrice(machine.provider, machine.size, "EUR") === undefined) {
      report(`${args.name}: ${machine.provider} size "${machine.size}" has no price in components/cloud/cloudSizes.ts; add it (with its source) or pick a listed size`);
    }
  },
});

interface BudgetConfig {
  readonly monthlyBudget?: number;
  readonly currency: Currency;
}

export interface MachineCost {
  readonly node: string;
  readonly provider: CloudProvider;
  readonly size: string;
  readonly monthly: number;
}

/** What the stack's cloud machines cost per month in `currency`; unpriced machines are cloud-size-priced's finding. */
export function stackCost(resources: readonly PolicyResource[], currency: Currency): { machines: MachineCost[]; total: number } {
  const machines = resources.flatMap((r): MachineCost[] => {
    const machine = machineSize(r.type, r.props as MachineProps);
    const monthly = machine && monthlyPrice(machine.provider, machine.size, currency);
    return machine && monthly !== undefined ? [{ node: nodeOf(r.props) ?? r.name, ...machine, monthly }] : [];
  });
  machines.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return { machines, total: roundCents(machines.reduce((sum, m) => sum + m.monthly, 0)) };
}

const money = (currency: Currency, amount: number): string => `${currency} ${amount.toFixed(2)}`;

const monthlyBudget: StackValidationPolicy = {
  name: "monthly-budget",
  description: "The cloud machines' list prices add up to no more than the monthly budget (hybridlab:budget).",
  enforcementLevel: "mandatory",
  url: "https://www.hetzner.com/cloud/",
  configSchema: {
    properties: {
      monthlyBudget: { type: "number", description: "Monthly budget; without it the rule does not apply." },
      currency: { type: "string", enum: ["EUR", "USD"], default: "EUR", description: "Currency of the budget; prices are converted at one fixed rate." },
    },
  },
  validateStack: (args, report) => {
    const { monthlyBudget: budget, currency } = args.getConfig<BudgetConfig>();
    if (budget === undefined) return args.notApplicable("no monthlyBudget configured");
    const { machines, total } = stackCost(args.resources, currency);
    if (total > budget) {
      const lines = machines.map((m) => `${m.node} (${m.provider} ${m.size}) ${m.monthly.toFixed(2)}`).join(", ");
      report(`cloud machines cost ${money(currency, total)} per month, over the budget of ${money(currency, budget)}: ${lines}`);
    }
  },
};

export const costPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [cloudSizePriced, monthlyBudget];
