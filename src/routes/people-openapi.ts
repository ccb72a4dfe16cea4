/** The OpenAPI description of /api/people (./people.ts) and /api/tokens (./tokens.ts). */
import { NewTokenSchema, RoleChangeSchema, SubjectParamSchema, TokenIdParamSchema } from "../people/schema";
import { type ApiPaths, invalid, jsonResponse, problemResponse } from "../platform/http/openapi";
import * as answers from "./people-schemas";

const noGrant = problemResponse("Nobody by that name has a role in D1.");

export const peoplePaths: ApiPaths = {
  "/api/people": {
    get: {
      operationId: "listPeople",
      summary: "Who has which role (admin only), and whom ADMINS makes admins",
      responses: { 200: jsonResponse("The grants.", "PeopleList") },
    },
  },
  "/api/people/{subject}": {
    get: {
      operationId: "getPerson",
      summary: "One subject's role (admin only)",
      params: SubjectParamSchema,
      responses: { 200: jsonResponse("The grant.", "RoleGrant"), 400: invalid, 404: noGrant },
    },
    put: {
      operationId: "putPerson",
      summary:
        "Give an email, a service token or `group:<Access group>` a role (admin only); a person's tokens above it come down to it",
      params: SubjectParamSchema,
      body: "RoleChange",
      responses: { 200: jsonResponse("The grant.", "RoleGrant"), 400: invalid },
    },
    delete: {
      operationId: "deletePerson",
      summary:
        "Take a role away (admin only); the tokens that person created are revoked, even when their role came only through a group",
      params: SubjectParamSchema,
      responses: {
        204: { description: "Removed." },
        400: invalid,
        404: problemResponse("Nobody by that name has a role in D1 or a live token."),
      },
    },
  },
  "/api/tokens": {
    post: {
      operationId: "createToken",
      summary: "Create a personal API token, at most your own role; its value is shown only in this answer",
      body: "NewToken",
      responses: {
        201: jsonResponse("The token and its value.", "CreatedToken"),
        400: invalid,
        403: problemResponse("The role is above yours, or a token asked (tokens cannot create tokens)."),
      },
    },
    get: {
      operationId: "listTokens",
      summary: "Your tokens (an admin: everyone's), newest first, never their values",
      responses: { 200: jsonResponse("The tokens.", "TokenList") },
    },
  },
  "/api/tokens/{id}": {
    delete: {
      operationId: "revokeToken",
      summary: "Revoke a token at once, for good (yours; an admin: anyone's)",
      params: TokenIdParamSchema,
      responses: {
        204: { description: "Revoked." },
        400: invalid,
        404: problemResponse("No such token of yours."),
      },
    },
  },
};

export const peopleSchemas = {
  RoleChange: RoleChangeSchema,
  RoleGrant: answers.RoleGrantSchema,
  PeopleList: answers.PeopleListSchema,
  NewToken: NewTokenSchema,
  ApiToken: answers.ApiTokenSchema,
  CreatedToken: answers.CreatedTokenSchema,
  TokenList: answers.TokenListSchema,
};
