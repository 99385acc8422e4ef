import type { Handlers } from '../../../common/api/dispatch.ts';
import { listProposals, listRelationships } from '../../workbook/proposals-repo.ts';
import { approveProposal, previewProposal, proposalView, saveProposal } from '../proposals.ts';
import type { ServiceDeps } from './deps.ts';

type ProposalChannel = 'proposals:build' | 'proposals:save' | 'proposals:list' | 'proposals:get' | 'proposals:approve' | 'hedges:relationships';

/** Hedge proposals: build, save (immutable), read, approve (four eyes) and the hedge relationships approval designates. */
export function proposalsHandlers(deps: ServiceDeps): Pick<Handlers, ProposalChannel> {
  const { db, clock } = deps;
  return {
    'proposals:build': (request) => previewProposal(db, clock, request),
    'proposals:save': (request) => saveProposal(db, clock, deps.actor, request),
    'proposals:list': () => listProposals(db),
    'proposals:get': (request) => proposalView(db, request.proposalId),
    'proposals:approve': (request) => approveProposal(db, clock, deps.actor, request),
    'hedges:relationships': () => listRelationships(db),
  };
}
