import type { APIRoute } from 'astro';
import { guidance } from '../lib/guidance';

export const GET: APIRoute = async ({ site }) => new Response(await guidance(true, site), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
