import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Tx } from '$lib/server/db';
import type { AppRole } from '$lib/domain/roles';
import { INVITATION_DAYS, type InvitationInput } from '$lib/domain/people';

/*
 * People and access. Staff actions run as the user (RLS and the security-definer functions of
 * 20261129140200 decide); accepting an invitation is an authentication flow, run by the server
 * (asService), like a login.
 */

/** SHA-256 hex of an invitation token: what the database keeps. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Person {
	user_id: string;
	email: string;
	display_name: string;
	app_role: AppRole;
	territory_ids: string[];
	last_sign_in_at: string | null;
}

/** Everyone with a role (staff only; empty otherwise). One query. */
export function peopleDirectory(tx: Tx) {
	return tx<Person[]>`select * from public.people_directory()`;
}

export interface PendingInvitation {
	id: string;
	email: string;
	display_name: string;
	app_role: AppRole;
	territory_id: string | null;
	expires_at: string;
}

/** Invitations neither accepted, revoked nor expired. */
export function pendingInvitations(tx: Tx) {
	return tx<PendingInvitation[]>`
		select id, email, display_name, app_role, territory_id, expires_at from public.invitations
		where accepted_at is null and revoked_at is null and expires_at > now() order by created_at desc limit 50`;
}

/** Constraint names the invitation rules raise (migration 20261129182100_add_invitation_email_rules), as field messages. */
const INVITATION_RULES: Record<string, string> = {
	invitations_email_has_account: 'Cette adresse a déjà un compte : changez plutôt son rôle depuis sa fiche dans « Personnes ».',
	invitations_pending_email_key: 'Une invitation vient d’être créée pour cette adresse par quelqu’un d’autre : rechargez « Personnes ».'
};

/**
 * Records an invitation and returns its id and one-time token (32 random bytes, base64url), valid
 * {@link INVITATION_DAYS} days; only the token's hash is stored. A pending invitation to the same
 * address is replaced (revoked by the database: its link stops working). An address that already
 * has an account is refused: `{ refused: { email } }` (nothing written).
 * @throws 403 (RLS: not staff, or a facilitator inviting an admin or replacing an admin's invitation).
 */
export async function createInvitation(
	tx: Tx,
	input: InvitationInput
): Promise<{ id: string; token: string } | { refused: Record<string, string> }> {
	const token = randomBytes(32).toString('base64url');
	try {
		const [row] = await tx.savepoint(
			(sp) => sp<{ id: string }[]>`
				insert into public.invitations (token_hash, email, display_name, app_role, territory_id, expires_at)
				values (${hashToken(token)}, ${input.email}, ${input.display_name}, ${input.app_role}, ${input.territory_id},
				        now() + make_interval(days => ${INVITATION_DAYS}))
				returning id`
		);
		return { id: row.id, token };
	} catch (e) {
		const message = INVITATION_RULES[(e as { constraint_name?: string }).constraint_name ?? ''];
		if ((e as { code?: string }).code === '23505' && message) return { refused: { email: message } };
		throw e;
	}
}

/**
 * A new token for a pending invitation (the previous link stops working), for the same form sent
 * twice: the answer shown is the last one, and its link must work. Null when the invitation is no
 * longer pending (accepted, revoked or expired).
 */
export async function reissueInvitation(tx: Tx, id: string): Promise<{ email: string; token: string } | null> {
	const token = randomBytes(32).toString('base64url');
	const [row] = await tx<{ email: string }[]>`
		update public.invitations set token_hash = ${hashToken(token)}
		where id = ${id} and accepted_at is null and revoked_at is null and expires_at > now()
		returning email`;
	return row ? { email: row.email, token } : null;
}

export async function revokeInvitation(tx: Tx, id: string): Promise<boolean> {
	const rows = await tx`update public.invitations set revoked_at = now() where id = ${id} and accepted_at is null and revoked_at is null returning id`;
	return rows.length === 1;
}

export interface InvitationForToken {
	id: string;
	email: string;
	display_name: string;
	app_role: AppRole;
	territory_id: string | null;
	territory_name: string | null;
	/** The e-mail already has an account. */
	existing: boolean;
}

/** A usable invitation by its token (system read, asService): null if unknown, used, revoked or expired. */
export async function invitationByToken(tx: Tx, token: string): Promise<InvitationForToken | null> {
	const [row] = await tx<InvitationForToken[]>`
		select i.id, i.email, i.display_name, i.app_role, i.territory_id, t.name as territory_name,
		       exists (select 1 from auth.users u where lower(u.email) = i.email) as existing
		from public.invitations i left join public.territories t on t.id = i.territory_id
		where i.token_hash = ${hashToken(token)} and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()`;
	return row ?? null;
}

/**
 * Accepts an invitation (system job, asService): creates the local account with its bcrypt
 * hash, its profile and (coordinators) its territory, marks the invitation used — all or
 * nothing, once (the row is locked; a second use finds it accepted). False if unusable.
 */
export async function acceptInvitation(tx: Tx, token: string, password: string): Promise<{ email: string } | false> {
	const [inv] = await tx<{ id: string; email: string; display_name: string; app_role: AppRole; territory_id: string | null }[]>`
		select id, email, display_name, app_role, territory_id from public.invitations
		where token_hash = ${hashToken(token)} and accepted_at is null and revoked_at is null and expires_at > now()
		for update`;
	if (!inv) return false;
	const [exists] = await tx`select 1 from auth.users where lower(email) = ${inv.email}`;
	if (exists) return false;
	const hash = await bcrypt.hash(password, 10);
	const [user] = await tx<{ id: string }[]>`
		insert into auth.users (email, encrypted_password) values (${inv.email}, ${hash}) returning id`;
	await tx`insert into public.profiles (user_id, display_name, app_role) values (${user.id}, ${inv.display_name}, ${inv.app_role})`;
	if (inv.territory_id) await tx`insert into public.territory_members (territory_id, user_id) values (${inv.territory_id}, ${user.id})`;
	await tx`update public.invitations set accepted_at = now() where id = ${inv.id}`;
	return { email: inv.email };
}

/** How long after its acceptance an invitation's form, sent again, signs its person in (a double-click). */
export const ACCEPT_REPLAY_MINUTES = 10;

/**
 * The e-mail of an invitation accepted in the last {@link ACCEPT_REPLAY_MINUTES} minutes (system
 * read, asService), or null: the same acceptance form sent twice then signs in with the password
 * just chosen (checked like any login) instead of answering « link no longer valid ».
 */
export async function recentlyAcceptedEmail(tx: Tx, token: string): Promise<string | null> {
	const [row] = await tx<{ email: string }[]>`
		select email from public.invitations
		where token_hash = ${hashToken(token)} and accepted_at > now() - make_interval(mins => ${ACCEPT_REPLAY_MINUTES})`;
	return row?.email ?? null;
}

/** @throws 403 when not allowed (see public.change_role). */
export async function changeRole(tx: Tx, userId: string, role: AppRole): Promise<void> {
	await tx`select public.change_role(${userId}::uuid, ${role}::public.app_role)`;
}

/** @throws 403 when not allowed (see public.remove_access). Sessions end at once. */
export async function removeAccess(tx: Tx, userId: string): Promise<void> {
	await tx`select public.remove_access(${userId}::uuid)`;
}

/** Gives a coordinator one more territory (staff, RLS). */
export async function addMembership(tx: Tx, userId: string, territoryId: string): Promise<void> {
	await tx`insert into public.territory_members (territory_id, user_id) values (${territoryId}, ${userId}) on conflict do nothing`;
}

export async function removeMembership(tx: Tx, userId: string, territoryId: string): Promise<boolean> {
	const rows = await tx`delete from public.territory_members where territory_id = ${territoryId} and user_id = ${userId} returning user_id`;
	return rows.length === 1;
}

/** The profile (and territory) of a user Supabase Auth just invited (staff, RLS). @throws 403. */
export async function createProfile(tx: Tx, userId: string, input: InvitationInput): Promise<void> {
	await tx`insert into public.profiles (user_id, display_name, app_role) values (${userId}, ${input.display_name}, ${input.app_role})`;
	if (input.territory_id) await tx`insert into public.territory_members (territory_id, user_id) values (${input.territory_id}, ${userId})`;
}
