/**
 * Every framework error table, one class per module of the error-code plan (DESIGN §6): the codes handler and app
 * code may see and throw. Apps keep their own tables beside their code.
 */
package io.switchboard.api.errors;
