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

export const cloudCatalog: Readonly<Record<CloudProvider, ProviderCatalog>> = {
  hetzner: {
    currency: "EUR",
    source: "https://www.hetzner.com/cloud (price list, excl. VAT, primary IPv4 EUR 0.50/month included)",
    checked: "2026-11-23",
    sizes: {
      cx22: { vcpus: 2, memoryMiB: 4096, diskGiB: 40, monthlyPrice: 4.35 },
      cx32: { vcpus: 4, memoryMiB: 8192, diskGiB: 80, monthlyPrice: 7.3 },
      cx42: { vcpus: 8, memoryMiB: 16384, diskGiB: 160, monthlyPrice: 17.5 },
    },
    classes: { small: "cx22", medium: "cx32", large: "cx42" },
    regions: ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"],
    defaultRegion: "fsn1",
  },
  digitalocean: {
    currency: "USD",
    source: "https://www.digitalocean.com/pricing/droplets (basic droplets)",
    checked: "2026-11-23",
    sizes: {
      "s-1vcpu-1gb": { vcpus: 1, memoryMiB: 1024, diskGiB: 25, monthlyPrice: 6 },
      "s-1vcpu-2gb": { vcpus: 1, memoryMiB: 2048, diskGiB: 50, monthlyPrice: 12 },
      "s-2vcpu-4gb": { vcpus: 2, memoryMiB: 4096, diskGiB: 80, monthlyPrice: 24 },
      "s-4vcpu-8gb": { vcpus: 4, memoryMiB: 8192, diskGiB: 160, monthlyPrice: 48 },
    },
    classes: { small: "s-1vcpu-2gb", medium: "s-2vcpu-4gb", large: "s-4vcpu-8gb" },
    regions: ["ams3", "fra1", "lon1", "nyc1", "nyc3", "sfo3", "sgp1", "tor1", "blr1", "syd1"],
    defaultRegion: "ams3",
  },
  azure: {
    currency: "USD",
    source: "https://azure.microsoft.com/pricing/details/virtual-machines/linux/ (pay-as-you-go, West Europe)",
    checked: "2026-11-23",
    sizes: {
      Standard_B1s: { vcpus: 1, memoryMiB: 1024, diskGiB: 30, monthlyPrice: 7.59 },
      Standard_B1ms: { vcpus: 1, memoryMiB: 2048, diskGiB: 30, monthlyPrice: 15.18 },
      Standard_B2s: { vcpus: 2, memoryMiB: 4096, diskGiB: 30, monthlyPrice: 30.37 },
      Standard_B2ms: { vcpus: 2, memoryMiB: 8192, diskGiB: 30, monthlyPrice: 60.74 },
    },
    classes: { small: "Standard_B1ms", medium: "Standard_B2s", large: "Standard_B2ms" },
    regions: ["westeurope", "northeurope", "germanywestcentral", "francecentral", "uksouth", "eastus", "westus2"],
    defaultRegion: "westeurope",
  },
};

/** The provider size a node's `size` names: a class is mapped, a provider size passes through. */
export function resolveCloudSize(provider: CloudProvider, size: string): string {
  const classes: Readonly<Record<string, string>> = cloudCatalog[provider].classes;
  return classes[size] ?? size;
}
