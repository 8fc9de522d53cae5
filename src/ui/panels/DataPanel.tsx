/** Data: the task picker, what the task tests, its sequence shape, and its own settings. */
import { isPending, selectTaskSettings, usePending, useTask } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { TASKS } from '../../tasks/index.ts';
import { SettingControl } from '../controls/SettingControl.tsx';
import { Field } from '../controls/Field.tsx';
import { useSession } from '../session.tsx';
import { ShapeSlot } from './ShapeSlot.tsx';
import { Section } from './Section.tsx';

/** Settings the Model section shows instead (the input encoding). */
const MODEL_SETTINGS = new Set(['encoding']);

/** The description's first sentence, the rest behind "more". */
function TaskDescription({ text }: { text: string }) {
  const cut = text.search(/\.(\s|$)/) + 1;
  const [first, rest] = cut > 0 ? [text.slice(0, cut), text.slice(cut).trim()] : [text, ''];
  if (!rest) return <p className="task-description">{text}</p>;
  return (
    <details className="task-description">
      <summary>{first}</summary>
      {rest}
    </details>
  );
}

/** The Data section. */
export function DataPanel() {
  const session = useSession();
  const task = useTask();
  const settings = useStore(selectTaskSettings);
  const setSetting = useStore((s) => s.setTaskSetting);
  const pending = usePending();
  const specs = task.info.settings.filter((spec) => {
    if (MODEL_SETTINGS.has(spec.key)) return false;
    // The pasted-text box only when pasted text is the chosen source.
    if (spec.kind === 'text' && spec.key === 'text') return settings.source === 'pasted';
    return true;
  });
  return (
    <Section id="data" title="Data" pending={isPending(pending, 'task')}>
      <Field id="task" label="Task" help="The sequence problem to train on; picking one builds a new run with its defaults">
        <select id="task" value={task.info.id} aria-describedby="task-help" data-testid="task-picker" onChange={(e) => void session.pickTask(e.target.value)}>
          {TASKS.map((t) => (
            <option key={t.info.id} value={t.info.id}>
              {t.info.title}
            </option>
          ))}
        </select>
      </Field>
      <div className="task-about">
        <ShapeSlot shape={task.info.shape} scale={0.6} caption={false} />
        <TaskDescription text={task.info.description} />
      </div>
      {specs.map((spec) => (
        <SettingControl key={spec.key} spec={spec} value={settings[spec.key]} pending={isPending(pending, `task.settings.${spec.key}`)} onChange={(v) => setSetting(spec.key, v)} />
      ))}
    </Section>
  );
}
