/** The task's own output view, chosen by task. */
import { useTask } from '../../store/selectors.ts';
import { SampleView } from './SampleView.tsx';
import { SentenceView } from './SentenceView.tsx';
import { SeriesView } from './SeriesView.tsx';
import { SumView } from './SumView.tsx';
import { TokenView } from './TokenView.tsx';

/** Per task: the view and a line under it. */
function ViewFor({ id }: { id: string }) {
  switch (id) {
    case 'time-series':
      return <SeriesView />;
    case 'adding':
      return <SumView />;
    case 'char-model':
      return <SampleView />;
    case 'sentiment':
      return <SentenceView />;
    case 'copy':
      return <TokenView caption="Outlined: the recall steps the accuracy counts. Red: wrong predictions." />;
    case 'reber':
      return <TokenView caption="Each step predicts the next symbol. Outlined: the penultimate symbol, which must repeat the second (the long-range test the metric counts). Red: not this string's next symbol (inside the grammar two successors are often equally likely, so only the outlined step is a fair test)." />;
    case 'tagging':
      return <TokenView caption="1: the symbol appears again later; 0: it does not. Red: wrong predictions." short={(label) => (label === 'again later' ? '1' : '0')} />;
    case 'seq2seq':
      return <TokenView caption="The encoder reads the input; the decoder starts from its final state and writes the predicted row free-running, fed its own previous symbol (as validation is scored). Red: wrong symbols; an example counts only when the whole row, through </s>, is right." />;
    default:
      return <p className="muted">This task has no output view yet.</p>;
  }
}

/** The output panel. */
export function OutputPanel() {
  const task = useTask();
  return (
    <section className="panel output" aria-labelledby="output-title">
      <h2 id="output-title" className="panel-title">
        Output <span className="muted">· {task.info.title}</span>
      </h2>
      <ViewFor key={task.info.id} id={task.info.id} />
    </section>
  );
}
