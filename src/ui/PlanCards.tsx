/** Three cards saying what the playground is being built to do. */

/** One planned capability. */
interface Plan {
  /** Card heading. */
  title: string;
  /** One or two sentences. */
  text: string;
}

/** What each card says. */
const plans: Plan[] = [
  {
    title: 'Models',
    text: 'Vanilla RNN, LSTM and GRU cells, with the sizes, sequence length and optimizer under your control.',
  },
  {
    title: 'Backends',
    text: 'WGSL compute kernels for forward and backward passes, and a readable CPU engine that is their oracle.',
  },
  {
    title: 'Views',
    text: 'Loss curves, gate activations over time and gradient norms per step, drawn live as the network trains.',
  },
];

/** The cards, in a responsive grid. */
export function PlanCards() {
  return (
    <section className="plans" aria-label="What the playground will do">
      {plans.map((plan) => (
        <article className="plan" key={plan.title}>
          <h2>{plan.title}</h2>
          <p>{plan.text}</p>
        </article>
      ))}
    </section>
  );
}
