// Checks rendered Kubernetes manifests offline: every object against the Kubernetes schemas
// (kubernetes-models), then the rules this project holds its workloads to. Exits 1 on the first
// overlay with a problem, naming every problem found in it.
//   node validate.mjs <overlay-name> <rendered.yaml>
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [overlay, file] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((doc) => doc.toJS()).filter(Boolean);
const problems = [];
const where = (o) => `${o.kind}/${o.metadata?.name}`;

for (const object of objects) {
  let module;
  try {
    module = await import(`kubernetes-models/${object.apiVersion}`);
  } catch {
    problems.push(`${where(object)}: unknown apiVersion ${object.apiVersion}`);
    continue;
  }
  const Model = module[object.kind];
  if (!Model) {
    problems.push(`${where(object)}: unknown kind ${object.kind} in ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${where(object)}: ${error.message}`);
  }
}

const byKind = (kind) => objects.filter((o) => o.kind === kind);
const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
for (const workload of workloads) {
  const pod = workload.spec.template.spec;
  const name = where(workload);
  if (!pod.securityContext?.runAsNonRoot) problems.push(`${name}: pod does not set runAsNonRoot`);
  for (const container of pod.containers) {
    const c = `${name} container ${container.name}`;
    if (!container.resources?.requests?.memory || !container.resources?.limits?.memory) problems.push(`${c}: no memory request and limit`);
    if (!container.resources?.requests?.cpu) problems.push(`${c}: no cpu request`);
    if (!container.readinessProbe) problems.push(`${c}: no readiness probe`);
    if (!container.livenessProbe) problems.push(`${c}: no liveness probe`);
    if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${c}: root filesystem is writable`);
    if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${c}: privilege escalation allowed`);
    // A patch that replaces an environment entry by its index (the production component's
    // EUREKA_URL) silently doubles a variable when the base's order changes.
    const names = (container.env ?? []).map((env) => env.name);
    for (const duplicate of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`${c}: ${duplicate} is set twice`);
    if (container.image?.startsWith("bugtracker/")) {
      if (!container.startupProbe) problems.push(`${c}: no startup probe`);
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
        const path = probe?.httpGet?.path ?? "";
        if (!path.startsWith("/actuator/health/")) problems.push(`${c}: a probe is not on an actuator health group (${path})`);
      }
      for (const env of container.env ?? []) {
        if (/PASSWORD/.test(env.name) && env.value !== undefined) problems.push(`${c}: ${env.name} is a literal, not a Secret reference`);
      }
    }
  }
  const labels = workload.spec.selector.matchLabels;
  const matches = (selector) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => workload.spec.template.metadata.labels[k] === v);
  if (workload.kind === "Deployment" && workload.spec.template.spec.containers[0].image.startsWith("bugtracker/")) {
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (grace < 60) problems.push(`${name}: terminationGracePeriodSeconds ${grace} is shorter than leaving Eureka (35 s) and draining`);
    if (!byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === workload.metadata.name)) problems.push(`${name}: no HorizontalPodAutoscaler`);
  }
  if (workload.spec.template.spec.containers[0].image.startsWith("bugtracker/")) {
    const budgets = byKind("PodDisruptionBudget").filter((p) => matches(p.spec.selector));
    if (budgets.length !== 1) problems.push(`${name}: ${budgets.length} PodDisruptionBudgets select its pods (the eviction API wants exactly one)`);
  }
  // Deployments whose selectors overlap fight over pods.
  for (const other of byKind("Deployment")) {
    if (other === workload || workload.kind !== "Deployment") continue;
    const otherLabels = other.spec.template.metadata.labels;
    if (Object.entries(labels).every(([k, v]) => otherLabels[k] === v)) problems.push(`${name}: its selector also selects the pods of ${where(other)}`);
  }
}

// Network: a default deny, and only the gateway open to everyone.
const policies = byKind("NetworkPolicy");
const selectsAll = (policy) => Object.keys(policy.spec.podSelector?.matchLabels ?? {}).length === 0;
if (!policies.some((p) => selectsAll(p) && p.spec.policyTypes?.includes("Ingress") && !p.spec.ingress)) {
  problems.push("no default-deny ingress NetworkPolicy");
}
for (const policy of policies) {
  for (const rule of policy.spec.ingress ?? []) {
    if (!rule.from && policy.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] !== "gateway") {
      problems.push(`${where(policy)}: opens ${JSON.stringify(policy.spec.podSelector)} to everyone; only the gateway may be`);
    }
  }
}
const notificator = policies.filter((p) => p.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "notificator-service");
const callers = notificator.flatMap((p) => (p.spec.ingress ?? []).flatMap((r) => (r.from ?? []).map((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"])));
if (notificator.length === 0 || callers.some((c) => c !== "users-service" && c !== "bugs-service")) {
  problems.push(`notificator-service must be reachable from users-service and bugs-service only (allowed: ${callers.join(", ") || "nothing defined"})`);
}

if (problems.length > 0) {
  console.error(`${overlay}: ${problems.length} problem(s)\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
console.log(`${overlay}: ${objects.length} objects valid (${[...new Set(objects.map((o) => o.kind))].sort().join(", ")})`);
