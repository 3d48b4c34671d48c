/**
 * Who gets in: an app is `public` only when it has a login of its own, a routed exposure needs a hostname and a
 * tailnet one must not have one, and every name in an `allow` list or a group's `ssh` refers to something that exists.
 */
import { appSpecOf, exposureOf, hasOwnLogin } from "../../catalog/apps";
import type { App } from "../schema";
import { oneOf, type EstateProblem, type Rule } from "./problem";

const GROUP = "group:";

/** What to choose instead of `public` for an app without its own login. */
function saferChoices(app: App): string {
  const basicAuth = app.kind === "mlflow" && app.ownLogin !== false ? ", or basicAuth: true (MLflow's own login)" : "";
  const ownLogin = app.kind === "container" && app.ownLogin !== false ? ", or ownLogin: true if the image asks everyone to log in" : "";
  return `set exposure: sso (behind single sign-on), or exposure: tailnet and remove hostname (over the mesh only)${basicAuth}${ownLogin}`;
}

const noLoginNotPublic: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    if (app.hostname === undefined || exposureOf(app) !== "public" || !appSpecOf(app).upstream || hasOwnLogin(app)) return [];
    const why = app.ownLogin === false ? "is marked ownLogin: false" : app.kind === "mlflow" ? "has no login without basicAuth" : `has no login of its own`;
    return [{ path: ["apps", name, app.exposure === undefined ? "hostname" : "exposure"], message: `a ${app.kind} ${why}, so it cannot be public (anyone could use it); ${saferChoices(app)}` }];
  });

const hostnameMatchesExposure: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    const exposure = exposureOf(app);
    if (exposure === "tailnet" && app.hostname !== undefined) {
      return [{ path: ["apps", name, "hostname"], message: "a tailnet app gets no public DNS record or route; remove hostname, or choose exposure: sso" }];
    }
    if (exposure !== "tailnet" && app.hostname === undefined) {
      return [{ path: ["apps", name, "exposure"], message: `exposure ${exposure} is served under a public hostname; set hostname, or choose exposure: tailnet` }];
    }
    return [];
  });

const allowLists: Rule = (estate) => {
  const groups = Object.keys(estate.tailnet?.groups ?? {});
  return Object.entries(estate.apps).flatMap(([name, app]) =>
    app.allow.flatMap((who, i): EstateProblem[] => {
      const at = ["apps", name, "allow", i];
      const exposure = exposureOf(app);
      if (exposure === "public") return [{ path: at, message: "a public app lets everyone in; remove allow, or choose exposure: sso or tailnet" }];
      if (exposure === "sso" && who.startsWith(GROUP)) return [{ path: at, message: `${who} is a tailnet group; behind single sign-on allow emails or @domains` }];
      if (exposure === "tailnet" && who.startsWith("@")) return [{ path: at, message: `${who} is an email domain; on the tailnet allow tailnet users (emails) or group:<name>` }];
      if (exposure === "tailnet" && !estate.tailnet) return [{ path: at, message: "tailnet access needs hybridlab:tailnet" }];
      if (who.startsWith(GROUP) && !groups.includes(who.slice(GROUP.length))) {
        return [{ path: at, message: `unknown tailnet group "${who}"; ${oneOf(groups.map((g) => GROUP + g))} (define it under tailnet.groups)` }];
      }
      return [];
    }),
  );
};

const groupSsh: Rule = (estate) =>
  Object.entries(estate.tailnet?.groups ?? {}).flatMap(([group, spec]) =>
    spec.ssh.flatMap((node, i): EstateProblem[] =>
      node in estate.nodes ? [] : [{ path: ["tailnet", "groups", group, "ssh", i], message: `unknown node "${node}"; ${oneOf(Object.keys(estate.nodes))}` }],
    ),
  );

/** A route behind single sign-on needs somebody to sign people in. */
const ssoNeedsIssuer: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] =>
    exposureOf(app) === "sso" && estate.sso === undefined
      ? [{ path: ["apps", name, "exposure"], message: "exposure sso needs hybridlab:sso: identity (an identity app) or issuer, clientId and hybridlab:ssoClientSecret (an external OIDC provider)" }]
      : [],
  );

/** The issuer: exactly one of the estate's identity app (public, so browsers can reach it) or an external one. */
const ssoIssuerRules: Rule = (estate) => {
  const sso = estate.sso;
  if (!sso) return [];
  if ((sso.identity === undefined) === (sso.issuer === undefined)) {
    return [{ path: ["sso"], message: "set identity (an identity app that runs Keycloak) or issuer (an external OIDC provider), exactly one" }];
  }
  const problems: EstateProblem[] = [];
  if (sso.identity !== undefined) {
    const app = estate.apps[sso.identity];
    const identities = Object.keys(estate.apps).filter((a) => estate.apps[a].kind === "identity");
    if (app?.kind !== "identity") problems.push({ path: ["sso", "identity"], message: `"${sso.identity}" is not an identity app; ${oneOf(identities)}` });
    else if (app.hostname === undefined) problems.push({ path: ["apps", sso.identity, "hostname"], message: "people's browsers are sent to the identity app to sign in: give it a public hostname" });
    else if (exposureOf(app) === "sso") problems.push({ path: ["apps", sso.identity, "exposure"], message: "the identity app is where people sign in, so it cannot itself be behind single sign-on; set exposure: public" });
    if (sso.clientId !== undefined) problems.push({ path: ["sso", "clientId"], message: "the identity app provisions its own client; clientId is for an external issuer" });
  } else {
    if (sso.clientId === undefined) problems.push({ path: ["sso", "clientId"], message: "an external issuer needs the client id registered for this estate's sign-in proxy" });
    if (estate.ssoClientSecret === undefined) problems.push({ path: ["ssoClientSecret"], message: "an external issuer needs its client secret: pulumi config set --secret hybridlab:ssoClientSecret" });
    // An external issuer signs in anyone with an account there (every Google account, say): narrow it.
    if (sso.emailDomains.length === 0) {
      for (const [name, app] of Object.entries(estate.apps)) {
        if (exposureOf(app) === "sso" && app.allow.length === 0) {
          problems.push({ path: ["apps", name, "allow"], message: `anyone with an account at ${sso.issuer} could sign in; list who may (emails or @domains) here, or set sso.emailDomains` });
        }
      }
    }
  }
  return problems;
};

export const exposureRules: readonly Rule[] = [noLoginNotPublic, hostnameMatchesExposure, ssoNeedsIssuer, ssoIssuerRules, allowLists, groupSsh];
