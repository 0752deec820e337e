// The organisers' forms for the dialogue's structure: a working group's name, a meeting (number,
// city, date, time zone) and a document (kind and title). Each checks what it can before sending and
// shows the server's reason when it refuses; the server checks everything again.
import { useId, useState, type FormEvent } from 'react';
import { DOCUMENT_KINDS, type DocumentKind } from '../../../shared/workspace.js';
import { TIME_ZONE_CHOICES, timeZoneLabel } from '../workspace/meeting-time.js';
import type { MeetingInput } from '../workspace/workspace-api.js';
import { DOCUMENT_KIND_NAMES } from '../workspace/wording.js';
import type { Action } from './use-action.js';

const MAX_NAME = 120;

function FormError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

function FormButtons({ submitLabel, busy, onCancel }: { submitLabel: string; busy: boolean; onCancel?: () => void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      )}
    </div>
  );
}

interface NameFormProps {
  /** The field's label, e.g. "Group name" or "Document title". */
  fieldLabel: string;
  initial?: string;
  submitLabel: string;
  action: Action;
  onSubmit: (name: string) => Promise<boolean>;
  onCancel?: () => void;
}

/** One name or title: new working group, renamed group or document. */
export function NameForm({ fieldLabel, initial = '', submitLabel, action, onSubmit, onCancel }: NameFormProps) {
  const [name, setName] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();
  const message = problem ?? action.error;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = name.replace(/\s+/g, ' ').trim();
    if (cleaned === '') {
      setProblem(`Please enter the ${fieldLabel.toLowerCase()}.`);
      return;
    }
    if (await onSubmit(cleaned)) setName(initial);
  }

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field">
        <label htmlFor={`${ids}-name`}>{fieldLabel}</label>
        <input
          id={`${ids}-name`}
          type="text"
          dir="auto"
          autoFocus
          maxLength={MAX_NAME}
          value={name}
          aria-invalid={message !== null}
          aria-describedby={message ? `${ids}-error` : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setProblem(null);
            action.clearError();
          }}
        />
      </div>
      <FormError id={`${ids}-error`} message={message} />
      <FormButtons submitLabel={submitLabel} busy={action.busy} onCancel={onCancel} />
    </form>
  );
}

interface MeetingFormProps {
  initial?: MeetingInput;
  /** Suggested number for a new meeting (the next after the last). */
  nextNumber?: number;
  submitLabel: string;
  action: Action;
  onSubmit: (meeting: MeetingInput) => Promise<boolean>;
  onCancel?: () => void;
}

export function MeetingForm({ initial, nextNumber = 1, submitLabel, action, onSubmit, onCancel }: MeetingFormProps) {
  const [number, setNumber] = useState(String(initial?.number ?? nextNumber));
  const [city, setCity] = useState(initial?.city ?? '');
  const [date, setDate] = useState(initial?.date ?? '');
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? 'Asia/Karachi');
  const [problem, setProblem] = useState<{ field: 'number' | 'city'; message: string } | null>(null);
  const ids = useId();
  // A meeting created by a script may use a zone the form does not offer; keep it selectable.
  const zones = TIME_ZONE_CHOICES.some((choice) => choice.value === timeZone)
    ? TIME_ZONE_CHOICES
    : [...TIME_ZONE_CHOICES, { value: timeZone, label: timeZoneLabel(timeZone) }];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsedNumber = Number(number);
    if (!Number.isInteger(parsedNumber) || parsedNumber < 1 || parsedNumber > 999) {
      setProblem({ field: 'number', message: 'The meeting number is a whole number from 1 to 999.' });
      return;
    }
    const cleanedCity = city.replace(/\s+/g, ' ').trim();
    if (cleanedCity === '') {
      setProblem({ field: 'city', message: 'Please enter the city where the meeting is held.' });
      return;
    }
    await onSubmit({ number: parsedNumber, city: cleanedCity, date: date === '' ? null : date, timeZone });
  }

  const clear = (): void => {
    setProblem(null);
    action.clearError();
  };
  const describedBy = (field: 'number' | 'city') => (problem?.field === field ? `${ids}-error` : undefined);

  return (
    <form className="inline-form meeting-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field-row">
        <div className="field field--narrow">
          <label htmlFor={`${ids}-number`}>Number</label>
          <input
            id={`${ids}-number`}
            type="number"
            inputMode="numeric"
            min={1}
            max={999}
            autoFocus
            value={number}
            aria-invalid={problem?.field === 'number'}
            aria-describedby={describedBy('number')}
            onChange={(event) => {
              setNumber(event.target.value);
              clear();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-city`}>City</label>
          <input
            id={`${ids}-city`}
            type="text"
            dir="auto"
            maxLength={MAX_NAME}
            value={city}
            aria-invalid={problem?.field === 'city'}
            aria-describedby={describedBy('city')}
            onChange={(event) => {
              setCity(event.target.value);
              clear();
            }}
          />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-date`}>Date (optional)</label>
          <input
            id={`${ids}-date`}
            type="date"
            value={date}
            onChange={(event) => {
              setDate(event.target.value);
              clear();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-zone`}>Time zone</label>
          <select
            id={`${ids}-zone`}
            value={timeZone}
            onChange={(event) => {
              setTimeZone(event.target.value);
              clear();
            }}
          >
            {zones.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormError id={`${ids}-error`} message={problem?.message ?? action.error} />
      <FormButtons submitLabel={submitLabel} busy={action.busy} onCancel={onCancel} />
    </form>
  );
}

interface DocumentFormProps {
  /** Meeting number and city, for the suggested title ("Agenda — meeting 3, Kabul"). */
  meetingLabel: string;
  action: Action;
  onSubmit: (kind: DocumentKind, title: string) => Promise<boolean>;
  onCancel?: () => void;
}

/** A new document in a meeting. The title follows the kind until the organiser types their own. */
export function DocumentForm({ meetingLabel, action, onSubmit, onCancel }: DocumentFormProps) {
  const [kind, setKind] = useState<DocumentKind>('notes');
  const [title, setTitle] = useState('');
  const [titleEdited, setTitleEdited] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();
  const suggested = `${DOCUMENT_KIND_NAMES[kind]} — ${meetingLabel}`;
  const shownTitle = titleEdited ? title : suggested;
  const message = problem ?? action.error;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = shownTitle.replace(/\s+/g, ' ').trim();
    if (cleaned === '') {
      setProblem('Please enter the document title.');
      return;
    }
    await onSubmit(kind, cleaned);
  }

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field-row">
        <div className="field field--narrow">
          <label htmlFor={`${ids}-kind`}>Kind</label>
          <select id={`${ids}-kind`} value={kind} autoFocus onChange={(event) => setKind(event.target.value as DocumentKind)}>
            {DOCUMENT_KINDS.map((value) => (
              <option key={value} value={value}>
                {DOCUMENT_KIND_NAMES[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-title`}>Title</label>
          <input
            id={`${ids}-title`}
            type="text"
            dir="auto"
            maxLength={MAX_NAME}
            value={shownTitle}
            aria-invalid={message !== null}
            aria-describedby={message ? `${ids}-error` : undefined}
            onChange={(event) => {
              setTitle(event.target.value);
              setTitleEdited(true);
              setProblem(null);
              action.clearError();
            }}
          />
        </div>
      </div>
      <FormError id={`${ids}-error`} message={message} />
      <FormButtons submitLabel="Create document" busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
