/**
 * The cloud sizes and regions the estate accepts, with the list prices the cost report and the budget policy use.
 * One table, so a size the schema allows always has a price.
 */

export type CloudProvider = "hetzner" | "digitalocean" | "azure";

/** Provider-neutral size classes, so a node can move between clouds by changing only its `kind`. */
export const sizeClasses = ["small", "medium", "large"] as const;
export type SizeClass = (typeof sizeClasses)[number];

export interface CloudSize {
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Included local disk in GiB. */
  readonly diskGiB: number;
  /** List price per month, in the catalog's currency, VAT excluded, including a primary IPv4 where it is billed apart. */
  readonly monthlyPrice: number;
  /** The catalog regions the size is sold in; absent: every region of its provider's catalog. */
  readonly regions?: readonly string[];
}

export interface ProviderCatalog {
  /** ISO 4217 currency of `monthlyPrice`. */
  readonly currency: "EUR" | "USD";
  /** Where the prices were read. */
  readonly source: string;
  /** When the prices were read (ISO date). */
  readonly checked: string;
  readonly sizes: Readonly<Record<string, CloudSize>>;
  /** The provider size each neutral class maps to. */
  readonly classes: Readonly<Record<SizeClass, string>>;
  readonly regions: readonly string[];
  readonly defaultRegion: string;
}

/**
 * Hetzner's EU locations. Which plans each location sells, per the plan pages quoted in the Hetzner note below
 * (agentdeals#1181, 2026-09-04): CX and CAX are EU-only, CPX12..CPX62 are also sold in sin, and ash/hil sell only
 * the older US cpx11..cpx51, which this catalog does not price, so no catalog size is sold there.
 */
const EU_LOCATIONS = ["fsn1", "nbg1", "hel1"] as const;

export const cloudCatalog: Readonly<Record<CloudProvider, ProviderCatalog>> = {
  /*
   * Hetzner Cloud, EU locations (fsn1/nbg1/hel1), EUR, VAT excluded.
   * monthlyPrice INCLUDES the primary IPv4 (EUR 0.50/month): these are the hetzner.com plan-page prices
   * (Hetzner's website price API), read 2026-09-04 and quoted in robhunter/agentdeals#1181/#1286. The same
   * plans WITHOUT IPv4 are EUR 0.50 lower in Hetzner's 2026-06-15 price-adjustment table (CX23 5.49,
   * CX33 8.49, CX43 15.99, CX53 29.49, CPX22 19.49, CAX41 40.99 - agentdeals#1324, CanineHQ/canine#652).
   * Names: cx22/cx32/cx42/cx52 were deprecated (Hetzner Cloud changelog 2025-10-16, not orderable since
   * 2025-12-31/2026-01); the plans sold now are cx23..cx53, cax11..cax41 and cpx12..cpx62 (EU), while
   * cpx11..cpx51 remain only in the US locations.
   * Uncertainty: prices read 2026-09, not re-read on 2026-11-23; Hetzner repriced twice in 2026 (2026-04-01,
   * 2026-06-15; servers ordered before 2026-06-15 keep their older rate until rescaled). On 2026-09-04 the
   * website marked every CX and CAX plan "not available" (stock), only CPX was orderable - if cx* will not
   * create, use the cpx* of the same vCPU/RAM (about 2-4x the price). CX/CAX are EU-only; CPX12+ is also
   * sold in sin at a higher price (CPX12 15.99, CPX22 26.99); ash/hil only sell the older US cpx11..cpx51,
   * priced in USD and not listed here. Verify before relying on a figure.
   */
  hetzner: {
    currency: "EUR",
    source:
      "hetzner.com/cloud/{cost-optimized,regular-performance}/ via website-price-api.hetzner.com, EU, incl. primary IPv4 EUR 0.50, as quoted in https://github.com/robhunter/agentdeals/issues/1181 (2026-09-04) and https://github.com/robhunter/agentdeals/pull/1286; " +
      "net-of-IPv4 cross-check https://docs.hetzner.com/general/infrastructure-and-availability/price-adjustment/ via https://github.com/robhunter/agentdeals/pull/1324; " +
      "names https://docs.hetzner.cloud/changelog#2025-10-16-server-types-deprecated; specs https://github.com/mixxor/eu-cloud-prices/blob/main/prices/hetzner.json",
    checked: "2026-11-23",
    sizes: {
      // Cost-Optimized, shared Intel x86 (EU only)
      cx23: { vcpus: 2, memoryMiB: 4096, diskGiB: 40, monthlyPrice: 5.99, regions: EU_LOCATIONS },
      cx33: { vcpus: 4, memoryMiB: 8192, diskGiB: 80, monthlyPrice: 8.99, regions: EU_LOCATIONS },
      cx43: { vcpus: 8, memoryMiB: 16384, diskGiB: 160, monthlyPrice: 16.49, regions: EU_LOCATIONS },
      cx53: { vcpus: 16, memoryMiB: 32768, diskGiB: 320, monthlyPrice: 29.99, regions: EU_LOCATIONS },
      // Cost-Optimized, shared Ampere Arm64 (EU only)
      cax11: { vcpus: 2, memoryMiB: 4096, diskGiB: 40, monthlyPrice: 6.49, regions: EU_LOCATIONS },
      cax21: { vcpus: 4, memoryMiB: 8192, diskGiB: 80, monthlyPrice: 10.99, regions: EU_LOCATIONS },
      cax31: { vcpus: 8, memoryMiB: 16384, diskGiB: 160, monthlyPrice: 21.49, regions: EU_LOCATIONS },
      cax41: { vcpus: 16, memoryMiB: 32768, diskGiB: 320, monthlyPrice: 41.49, regions: EU_LOCATIONS },
      // Regular Performance, AMD x86 (EU and sin)
      cpx12: { vcpus: 1, memoryMiB: 2048, diskGiB: 40, monthlyPrice: 11.99, regions: [...EU_LOCATIONS, "sin"] },
      cpx22: { vcpus: 2, memoryMiB: 4096, diskGiB: 80, monthlyPrice: 19.99, regions: [...EU_LOCATIONS, "sin"] },
      cpx32: { vcpus: 4, memoryMiB: 8192, diskGiB: 160, monthlyPrice: 35.99, regions: [...EU_LOCATIONS, "sin"] },
      cpx42: { vcpus: 8, memoryMiB: 16384, diskGiB: 320, monthlyPrice: 69.99, regions: [...EU_LOCATIONS, "sin"] },
    },
    classes: { small: "cx23", medium: "cx33", large: "cx43" },
    regions: ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"],
    defaultRegion: "fsn1",
  },
  /*
   * DigitalOcean Basic (shared CPU, Regular SSD) droplets, USD list price per month.
   * The price includes the droplet's public IPv4 (DigitalOcean does not bill it separately) and its transfer
   * allowance (0.5-6 TiB pooled per team). Uncertainty: no 2026 per-plan price table was found; the figures
   * are the /v2/sizes values in the banagale gist (undated) and the July-2022 repricing table (colinwilson
   * gist), unchanged since as far as found; digitalocean.com/pricing still said "Droplets starting at
   * $4/month" on 2026-09-20 (api-evangelist). Since 2026-05 the docs say CPU droplets bill per second.
   * Verify with `doctl compute size list`.
   * Regions: not recorded per size. The sources above give no per-region table, so every size counts as sold in
   * every catalog region (unverified); `doctl compute size list` shows each size's `regions`.
   */
  digitalocean: {
    currency: "USD",
    source:
      "https://gist.github.com/banagale/56d1464ebc0035ae08d9710cadf87f6a (/v2/sizes slug table, undated); " +
      "https://gist.github.com/colinwilson/cd31bde012f6727b24b2fc4ebee749c0 (2022 basic-droplet prices); " +
      "https://raw.githubusercontent.com/api-evangelist/digital-ocean/refs/heads/main/plans/digital-ocean-plans-pricing.yml (from $4/month, read 2026-09-20); " +
      "https://docs.digitalocean.com/products/droplets/details/pricing/ (validated 2026-05-28); regions https://github.com/digitalocean/openapi/pull/768, https://github.com/digitalocean/openapi/pull/1036",
    checked: "2026-11-23",
    sizes: {
      "s-1vcpu-512mb-10gb": { vcpus: 1, memoryMiB: 512, diskGiB: 10, monthlyPrice: 4 },
      "s-1vcpu-1gb": { vcpus: 1, memoryMiB: 1024, diskGiB: 25, monthlyPrice: 6 },
      "s-1vcpu-2gb": { vcpus: 1, memoryMiB: 2048, diskGiB: 50, monthlyPrice: 12 },
      "s-2vcpu-2gb": { vcpus: 2, memoryMiB: 2048, diskGiB: 60, monthlyPrice: 18 },
      "s-2vcpu-4gb": { vcpus: 2, memoryMiB: 4096, diskGiB: 80, monthlyPrice: 24 },
      "s-4vcpu-8gb": { vcpus: 4, memoryMiB: 8192, diskGiB: 160, monthlyPrice: 48 },
      "s-8vcpu-16gb": { vcpus: 8, memoryMiB: 16384, diskGiB: 320, monthlyPrice: 96 },
    },
    classes: { small: "s-2vcpu-4gb", medium: "s-4vcpu-8gb", large: "s-8vcpu-16gb" },
    regions: ["ams3", "atl1", "blr1", "fra1", "lon1", "nyc1", "nyc3", "sfo2", "sfo3", "sgp1", "syd1", "tor1"],
    defaultRegion: "ams3",
  },
  /*
   * Azure Linux VMs, pay-as-you-go, West Europe, 730 h/month, USD.
   * monthlyPrice = VM compute + one Standard static public IPv4 (USD 0.005/h = 3.65/month, billed apart).
   * It does NOT include the OS managed disk (billed apart, about 30 GiB by default); diskGiB is only the
   * size's temporary local SSD (none on the *_v2 sizes).
   * Uncertainty: no published USD West Europe figure was found. Compute is the Azure Retail Prices API
   * westeurope EUR consumption price (read 2026-10-02 by mixxor/eu-cloud-prices: B1s 7.71, B1ms 15.42,
   * B2s 30.83, B2ms 61.67, B2ats_v2 12.85, B2als_v2 33.66, B4als_v2 109.85, B4ms 123.34, B8als_v2 196.57
   * EUR/month) converted at the ECB rate of 2026-10-28, 1.1133 USD/EUR. Azure's own USD list may differ by
   * a few percent: verify with prices.azure.com (armRegionName eq 'westeurope', currencyCode 'USD').
   * Regions: not recorded per size (no per-region table was read), so every size counts as sold in every catalog
   * region (unverified); `az vm list-skus --location <region> --size Standard_B` shows what a subscription can order.
   */
  azure: {
    currency: "USD",
    source:
      "https://prices.azure.com/api/retail/prices (westeurope, EUR, Consumption, Linux) as read 2026-10-02 in https://github.com/mixxor/eu-cloud-prices/blob/main/prices/azure.json; " +
      "EUR->USD 1.1133 (ECB 2026-10-28) per https://raw.githubusercontent.com/moveinfra/eu-cloud-prices/main/data/eu-cloud-prices.json; " +
      "public IPv4 USD 0.005/h per https://c3x.dev/resources/azure/azurerm_public_ip; temp disks https://docs.azure.cn/en-us/virtual-machines/sizes-b-series-burstable",
    checked: "2026-11-23",
    sizes: {
      Standard_B1s: { vcpus: 1, memoryMiB: 1024, diskGiB: 4, monthlyPrice: 12.23 },
      Standard_B1ms: { vcpus: 1, memoryMiB: 2048, diskGiB: 4, monthlyPrice: 20.82 },
      Standard_B2s: { vcpus: 2, memoryMiB: 4096, diskGiB: 8, monthlyPrice: 37.97 },
      Standard_B2ms: { vcpus: 2, memoryMiB: 8192, diskGiB: 16, monthlyPrice: 72.31 },
      Standard_B4ms: { vcpus: 4, memoryMiB: 16384, diskGiB: 32, monthlyPrice: 140.96 },
      Standard_B2ats_v2: { vcpus: 2, memoryMiB: 1024, diskGiB: 0, monthlyPrice: 17.96 },
      Standard_B2als_v2: { vcpus: 2, memoryMiB: 4096, diskGiB: 0, monthlyPrice: 41.12 },
      Standard_B4als_v2: { vcpus: 4, memoryMiB: 8192, diskGiB: 0, monthlyPrice: 125.95 },
      Standard_B8als_v2: { vcpus: 8, memoryMiB: 16384, diskGiB: 0, monthlyPrice: 222.49 },
    },
    classes: { small: "Standard_B2s", medium: "Standard_B4als_v2", large: "Standard_B8als_v2" },
    regions: ["westeurope", "northeurope", "germanywestcentral", "francecentral", "uksouth", "eastus", "westus2"],
    defaultRegion: "westeurope",
  },
};

/** The catalog regions `size` (a provider size) is sold in. */
export function sizeRegions(provider: CloudProvider, size: string): readonly string[] {
  const catalog = cloudCatalog[provider];
  return catalog.sizes[size]?.regions ?? catalog.regions;
}

/** The provider size a node's `size` names: a class is mapped, a provider size passes through. */
export function resolveCloudSize(provider: CloudProvider, size: string): string {
  const classes: Readonly<Record<string, string>> = cloudCatalog[provider].classes;
  return classes[size] ?? size;
}
