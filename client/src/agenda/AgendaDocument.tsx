// An agenda document: the timetable (shared/agenda.ts, in the same Y.Doc) and the free text of the
// same document as "Notes" (preambles, remarks the timetable cannot hold). Both panels stay mounted,
// so the editor keeps its binding and carets while the timetable is shown.
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { DocumentConnection } from '../collab/connection.js';
import { AgendaView, type AgendaMeeting } from './AgendaView.js';

type Panel = 'timetable' | 'notes';
const PANELS: ReadonlyArray<{ key: Panel; label: string }> = [
  { key: 'timetable', label: 'Timetable' },
  { key: 'notes', label: 'Notes' },
];

interface AgendaDocumentProps {
  connection: DocumentConnection;
  meeting: AgendaMeeting | null;
  editable: boolean;
  notes: ReactNode;
}

export function AgendaDocument({ connection, meeting, editable, notes }: AgendaDocumentProps) {
  const [selected, setSelected] = useState<Panel>('timetable');
  const buttons = useRef(new Map<Panel, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next: Panel = selected === 'timetable' ? 'notes' : 'timetable';
    const target = event.key === 'Home' ? 'timetable' : event.key === 'End' ? 'notes' : next;
    setSelected(target);
    buttons.current.get(target)?.focus();
  }

  return (
    <div className="agenda-document">
      <div className="tabs agenda-tabs" role="tablist" aria-label="Agenda views" onKeyDown={onKeyDown}>
        {PANELS.map((panel) => (
          <button
            key={panel.key}
            ref={(element) => {
              if (element) buttons.current.set(panel.key, element);
            }}
            type="button"
            role="tab"
            id={`agenda-tab-${panel.key}`}
            aria-selected={panel.key === selected}
            aria-controls={`agenda-panel-${panel.key}`}
            tabIndex={panel.key === selected ? 0 : -1}
            className="tab"
            onClick={() => setSelected(panel.key)}
          >
            {panel.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="agenda-panel-timetable" aria-labelledby="agenda-tab-timetable" hidden={selected !== 'timetable'}>
        <AgendaView doc={connection.doc} meeting={meeting} editable={editable} />
      </div>
      <div role="tabpanel" id="agenda-panel-notes" aria-labelledby="agenda-tab-notes" hidden={selected !== 'notes'} className="agenda-notes">
        {notes}
      </div>
    </div>
  );
}
