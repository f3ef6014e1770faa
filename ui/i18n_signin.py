"""The words of changing and resetting passwords (the account and users pages), merged into
`ui.i18n.STRINGS`."""

from __future__ import annotations

SIGNIN_STRINGS: dict[str, dict[str, str]] = {
    "account.password.title": {"en": "Change your password", "es": "Cambia tu contraseña"},
    "account.password.lead": {
        "en": "Type your current password, then the new one twice. Your other sign-ins (other "
        "browsers or computers) end; this one stays.",
        "es": "Escribe tu contraseña actual y después la nueva dos veces. Tus otras sesiones "
        "(en otros navegadores o equipos) se cierran; esta sigue abierta.",
    },
    "account.password.current": {"en": "Current password", "es": "Contraseña actual"},
    "account.password.new": {"en": "New password", "es": "Contraseña nueva"},
    "account.password.again": {"en": "New password again", "es": "Repite la contraseña nueva"},
    "account.password.help": {
        "en": "At least {n} characters, not a common password, not a pattern like abcd or "
        "1234, and not your username. A few unrelated words make a long password that is easy "
        "to remember.",
        "es": "Al menos {n} caracteres, que no sea una contraseña común ni una secuencia como "
        "abcd o 1234, y que no contenga tu nombre de usuario. Unas cuantas palabras sin "
        "relación forman una contraseña larga y fácil de recordar.",
    },
    "account.password.submit": {"en": "Change password", "es": "Cambiar la contraseña"},
    "account.password.mismatch": {
        "en": "The two new passwords are not the same; type them again. Your password has not "
        "changed.",
        "es": "Las dos contraseñas nuevas no coinciden; vuelve a escribirlas. Tu contraseña no "
        "ha cambiado.",
    },
    "account.password.missing": {
        "en": "Fill in all three fields. Your password has not changed.",
        "es": "Rellena los tres campos. Tu contraseña no ha cambiado.",
    },
    "account.password.refused": {
        "en": "Your password has not changed: {problem}",
        "es": "Tu contraseña no ha cambiado: {problem}",
    },
    "account.password.changed": {
        "en": "Your password is changed. Your other sign-ins have ended.",
        "es": "Tu contraseña ha cambiado. Tus otras sesiones se han cerrado.",
    },
    "admin.users.tab.password": {"en": "Reset a password", "es": "Restablecer una contraseña"},
    "admin.users.reset.lead": {
        "en": "Give someone who forgot their password a new one. They are signed out everywhere "
        "and any sign-in delay of their account is lifted; the audit log records that you did "
        "it. Hand the new password over privately and ask them to change it on their “Your "
        "access” page. To change your own password, use that page.",
        "es": "Da una contraseña nueva a quien olvidó la suya. Su sesión se cierra en todas "
        "partes y se levanta cualquier espera de su cuenta; el registro de auditoría anota que "
        "lo hiciste tú. Entrégale la contraseña en privado y pídele que la cambie en su página "
        "«Tu acceso». Para cambiar la tuya, usa esa página.",
    },
    "admin.users.reset.submit": {"en": "Set new password", "es": "Poner la contraseña nueva"},
    "admin.users.reset.done": {
        "en": "**{username}** has a new password and has been signed out everywhere.",
        "es": "**{username}** tiene una contraseña nueva y su sesión se ha cerrado en todas "
        "partes.",
    },
    "admin.users.lift": {"en": "Lift sign-in delay", "es": "Levantar la espera de acceso"},
    "admin.users.lift_note": {
        "en": "After many wrong passwords from unknown places, signing in to an account waits "
        "a little longer each time (never from the places its owner used before). Lifting "
        "the delay lets them try again at once.",
        "es": "Tras muchas contraseñas erróneas desde lugares desconocidos, iniciar sesión en "
        "una cuenta espera un poco más cada vez (nunca desde los lugares que su titular ya "
        "usó). Levantar la espera permite volver a intentarlo enseguida.",
    },
    "admin.users.lifted": {
        "en": "The sign-in delay of **{username}** is lifted.",
        "es": "Se ha levantado la espera de acceso de **{username}**.",
    },
}
