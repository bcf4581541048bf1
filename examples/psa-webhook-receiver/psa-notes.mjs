// How a ResolutionFlow event becomes a note on the host ticket in each PSA. Pure functions: they
// return the request a connector would send, and this example only prints them (no calls to a
// real PSA). The ticket comes from `handoff.externalRef` ({ system, id }), set when the
// escalation was created from the ticket.

/** The note text for an event, or null when the event writes no note. */
export function noteText(event) {
  const { handoff, actor, reason, policy } = event.data;
  const who = actor?.name ?? 'ResolutionFlow';
  switch (event.type) {
    case 'handoff.created':
      return `Escalated by ${handoff.createdBy.name} (${handoff.priority}): ${handoff.title}`;
    case 'handoff.claimed':
      return `Picked up by ${handoff.claimedBy?.name ?? who} in ResolutionFlow.`;
    case 'handoff.started':
      return `${handoff.claimedBy?.name ?? who} started work on the escalation.`;
    case 'handoff.released':
      return reason === 'policy'
        ? 'Released back to the queue: claimed but not started in time (escalation policy).'
        : `Released back to the queue by ${who}.`;
    case 'handoff.overdue':
      return policy?.action === 'remind'
        ? 'Reminder sent: picked up but not started.'
        : `Still unclaimed after ${policy?.afterSeconds ?? '?'} s: ${policy?.action} notified again.`;
    case 'handoff.resolved':
      return `Resolved by ${who} in ResolutionFlow.`;
    case 'handoff.cancelled':
      return `Escalation cancelled by ${who}.`;
    default:
      return null;
  }
}

/**
 * ConnectWise PSA: `POST /service/tickets/{id}/notes`. Internal analysis notes stay off the
 * customer's view; a resolution sets `resolutionFlag`. `processNotifications: false` keeps
 * ConnectWise from mailing the customer about our bookkeeping.
 */
export function connectwiseNote(ticketId, event, text) {
  return {
    method: 'POST',
    path: `/v4_6_release/apis/3.0/service/tickets/${encodeURIComponent(ticketId)}/notes`,
    body: {
      text,
      detailDescriptionFlag: false,
      internalAnalysisFlag: true,
      resolutionFlag: event.type === 'handoff.resolved',
      processNotifications: false,
    },
  };
}

/** Autotask (Datto) REST: a TicketNote child of the ticket; noteType 1 (task summary), publish 2 (internal only). */
export function autotaskNote(ticketId, event, text) {
  return {
    method: 'POST',
    path: `/atservicesrest/v1.0/Tickets/${encodeURIComponent(ticketId)}/Notes`,
    body: {
      ticketID: Number(ticketId),
      title: `ResolutionFlow: ${event.type}`,
      description: text,
      noteType: 1,
      publish: 2,
    },
  };
}

/** HaloPSA: an action on the ticket, hidden from the end user. */
export function halopsaNote(ticketId, event, text) {
  return {
    method: 'POST',
    path: '/api/Actions',
    body: [{ ticket_id: Number(ticketId), outcome: 'Private Note', note: text, hiddenfromuser: true }],
  };
}

const MAPPERS = { connectwise: connectwiseNote, autotask: autotaskNote, halopsa: halopsaNote };

/** The PSA request an event maps to, or null (no ticket reference, an unknown PSA, or no note for it). */
export function psaRequest(event) {
  const ref = event.data?.handoff?.externalRef;
  const text = event.data?.handoff ? noteText(event) : null;
  const mapper = ref && MAPPERS[ref.system];
  if (!text || !mapper) return null;
  const link = event.data.handoff.context?.ticketUrl;
  return { system: ref.system, ticketId: ref.id, ...mapper(ref.id, event, link ? `${text}\n${link}` : text) };
}
