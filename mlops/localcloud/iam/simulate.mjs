// Evaluates batches of IAM requests with @cloud-copilot/iam-simulate (AWS's evaluation logic:
// explicit deny, identity and resource policies, permission boundaries, wildcards,
// NotAction/NotResource, conditions). Run by simulator.py as a long-lived process:
// one JSON batch per stdin line, one JSON answer per stdout line.
//   in:  {"policies": {"<id>": <policy document>},
//         "requests": [{"id", "principal", "action", "resource", "account", "context",
//                       "identity": ["<id>"], "boundary": ["<id>"], "resource_policy": "<id>"|null}]}
//   out: {"results": [{"id", "decision", "denials": [...], "error": "..."}]}
import { createInterface } from 'node:readline';
import { getDenialReasons, runSimulation } from '@cloud-copilot/iam-simulate';

async function evaluate(request, policies) {
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.account },
      contextVariables: request.context,
    },
    identityPolicies: request.identity.map((id) => ({ name: id, policy: policies[id] })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resource_policy ? policies[request.resource_policy] : undefined,
    permissionBoundaryPolicies: request.boundary.length
      ? request.boundary.map((id) => ({ name: id, policy: policies[id] }))
      : undefined,
  };
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    return { id: request.id, decision: 'Error', error: JSON.stringify(result.errors) };
  }
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  const denials = result.overallResult === 'Allowed' || !analysis ? [] : getDenialReasons(analysis);
  return { id: request.id, decision: result.overallResult, denials };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const batch = JSON.parse(line);
    const results = [];
    for (const request of batch.requests) {
      try {
        results.push(await evaluate(request, batch.policies));
      } catch (error) {
        results.push({ id: request.id, decision: 'Error', error: String(error?.stack || error) });
      }
    }
    answer = { results };
  } catch (error) {
    answer = { error: String(error?.stack || error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
