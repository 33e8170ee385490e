import type { Claims } from '$lib/server/auth/claims';

declare global {
	namespace App {
		interface Locals {
			/** Who is asking: null for the public. Set once, in hooks.server.ts. */
			claims: Claims | null;
			/** Display name for the header, from our profiles table. */
			displayName: string | null;
		}
		interface Error {
			message: string;
		}
		interface PageData {
			user?: { email: string; displayName: string | null; role: Claims['app_role'] } | null;
		}
	}
}

export {};
