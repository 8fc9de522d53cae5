/**
 * The top bar's Lessons button: a panel listing every lesson (src/share/lessons.ts) with
 * its explanation, what to look at, and links that open its run and its contrast. A link
 * is a hash on this page, so following one rebuilds the run (src/store/share.ts).
 */
import { useState } from 'react';
import { contrastHash, LESSONS, lessonHash } from '../../share/lessons.ts';
import './share.css';

/** Lessons button and its panel. */
export function LessonsMenu() {
  const [open, setOpen] = useState(false);
  return (
    <div className="share-menu lessons-menu">
      <button type="button" className="share-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title="Ready runs, one per idea in the lectures, with what to look at" data-testid="lessons">
        Lessons
      </button>
      {open && (
        <div className="share-popover lessons-panel" role="dialog" aria-label="Lessons" data-testid="lessons-panel">
          <ol>
            {LESSONS.map((lesson) => (
              <li key={lesson.id} data-testid={`lesson-${lesson.id}`}>
                <h3>{lesson.title}</h3>
                <p>{lesson.text}</p>
                <p>
                  <b>Look at:</b> {lesson.lookAt}
                </p>
                <p className="lesson-links">
                  <a href={`#${lessonHash(lesson)}`} title={`Open the run: ${lesson.title}`} onClick={() => setOpen(false)} data-testid="lesson-open">
                    Open this run
                  </a>
                  {lesson.contrast && (
                    <a href={`#${contrastHash(lesson)}`} title={`Open ${lesson.contrast.label}`} onClick={() => setOpen(false)}>
                      Contrast: {lesson.contrast.label}
                    </a>
                  )}
                </p>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
