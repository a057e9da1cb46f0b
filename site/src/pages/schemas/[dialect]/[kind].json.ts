import type { APIRoute, GetStaticPaths } from 'astro';
import { dialects, jsonSchemaFor, schemaKinds, type DialectId, type DocumentKind } from '@memlint/core';

// Every dialect's schemas at /schemas/<dialect>/<kind>.json (the flat /schemas/<kind>.json are the Stage era's and aops').
export const getStaticPaths: GetStaticPaths = () =>
  (Object.keys(dialects) as DialectId[]).flatMap((dialect) => schemaKinds(dialect).map((kind) => ({ params: { dialect, kind } })));

export const GET: APIRoute = ({ params }) =>
  new Response(`${JSON.stringify(jsonSchemaFor(params.kind as DocumentKind, params.dialect as DialectId), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/schema+json' },
  });
