import { AZURE_VM, DROPLET, HCLOUD_SERVER } from "../../policies/rules/machines";
import { check, messages, resource } from "./support";

const hub = resource(HCLOUD_SERVER, "hub", { serverType: "cx33", location: "fsn1", labels: { "hybridlab-node": "hub" } });
const droplet = resource(DROPLET, "spoke-do", { size: "s-2vcpu-4gb", region: "ams3", tags: ["hybridlab", "node-spoke-do"] });
const azure = resource(AZURE_VM, "spoke-azure", { hardwareProfile: { vmSize: "Standard_B2s" }, location: "westeurope", tags: { "hybridlab-node": "spoke-azure" } });
const budget = (monthlyBudget: number, currency = "EUR") => ({ "monthly-budget": { monthlyBudget, currency } });

describe("cost rules", () => {
  test("cloud-size-priced accepts every size of the table and fails an unknown one", () => {
    expect(check("cloud-size-priced", [hub, droplet, azure])).toEqual([]);
    expect(messages("cloud-size-priced", [resource(HCLOUD_SERVER, "big", { serverType: "ccx63", location: "fsn1" })])).toEqual([
      'big: hetzner size "ccx63" has no price in components/cloud/cloudSizes.ts; add it (with its source) or pick a listed size',
    ]);
  });

  test("monthly-budget accepts machines within budget (USD prices converted to EUR)", () => {
    // 8.99 + 24/1.1133 (21.56) + 37.97/1.1133 (34.11) = 64.66 EUR
    expect(check("monthly-budget", [hub, droplet, azure], { config: budget(64.66) })).toEqual([]);
  });

  test("monthly-budget fails over budget, listing each machine", () => {
    expect(messages("monthly-budget", [hub, droplet, azure], { config: budget(60) })).toEqual([
      "cloud machines cost EUR 64.66 per month, over the budget of EUR 60.00: hub (hetzner cx33) 8.99, spoke-azure (azure Standard_B2s) 34.11, spoke-do (digitalocean s-2vcpu-4gb) 21.56",
    ]);
    expect(messages("monthly-budget", [hub], { config: budget(10, "USD") })).toEqual([
      "cloud machines cost USD 10.01 per month, over the budget of USD 10.00: hub (hetzner cx33) 10.01",
    ]);
  });

  test("monthly-budget does not apply without a budget", () => {
    expect(check("monthly-budget", [hub, droplet, azure])).toEqual([]);
  });
});
