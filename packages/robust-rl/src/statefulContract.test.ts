import { checkStatefulContract } from '@drojs/dro-core/testing';
import { DrRpoAgent, type DrRpoAgentOptions, rolloutEpisode } from './drRpoAgent.js';
import { LinearQModel, type LinearQModelState } from './linearQModel.js';
import { toTabular } from './mdp.js';
import { trapMdp } from './models.js';
import { fitR2pvi, type R2pviOptions } from './r2pvi.js';
import { sampleTabularDataset } from './sampling.js';

const mdp = trapMdp();
const { P, R } = toTabular(mdp);
const data = sampleTabularDataset(P, R, 6, 'contract');

// LinearQModel is immutable after the fit: a "step" answers the queries of one step h for every state.
checkStatefulContract<LinearQModel>({
  name: 'LinearQModel',
  make: () => fitR2pvi(data, { divergence: 'chi2', lambda: 0.3, beta: 0.5, theta: mdp.theta }),
  step: (m, i) => {
    const h = i % m.H;
    return mdp.phi[h]!.map((rows) => ({ v: m.value(h, rows), a: m.act(h, rows), q: rows.map((f) => m.q(h, f)) }));
  },
  fromState: (s: never) => LinearQModel.fromState(s as LinearQModelState),
  badOptions: { key: 'lamda', make: () => fitR2pvi(data, { divergence: 'kl', lamda: 0.3 } as unknown as R2pviOptions) },
  badStep: (m) => m.q(9, mdp.phi[0]![0]![0]!),
  leakRepeats: 0,
});

const agentOptions: DrRpoAgentOptions = { H: 4, d: 12, nActions: 2, rho: 0.2, betaPolicy: 0.05, eta: 1, bonus: 0.5 };
checkStatefulContract<DrRpoAgent>({
  name: 'DrRpoAgent',
  make: () => new DrRpoAgent(agentOptions),
  step: (agent, i) => {
    agent.observe(rolloutEpisode(mdp, agent, `contract-${i}`));
    agent.update();
    return Array.from(agent.policy(0, mdp.phi[0]![0]!));
  },
  fromState: (s: never) => DrRpoAgent.fromState(s),
  badOptions: {
    key: 'betaPolicyy',
    make: () => new DrRpoAgent({ ...agentOptions, betaPolicyy: 1 } as DrRpoAgentOptions),
  },
  badStep: (agent) => {
    const episode = rolloutEpisode(mdp, agent, 'bad');
    return agent.observe([...episode.slice(0, 3), { ...episode[3]!, reward: Number.NaN }]);
  },
  leakRepeats: 0,
});
