// The ravel language: a subset of Python's syntax (expressions with Python's
// precedence, assignments, `def` blocks, `if`/`while`/`for` with `break`,
// `continue` and `else`, `with errstate(...)`, list comprehensions, f-strings, imports, IPython's
// `%timeit`).
//
// The lexer emits NEWLINE for every line break and skips spaces, comments and
// backslash-newline. It does not track indentation or brackets: the frontend's
// layout pass (compiler/frontend/Lexer.cpp) drops NEWLINEs inside brackets
// and blank lines, and inserts INDENT/DEDENT from each logical line's leading
// whitespace, so the parser sees Python's token stream.
//
// Every rule is written as an LL(1) loop (no left recursion, no long
// lookahead); compiler/frontend/AstBuilder.cpp has one build<Rule>() per rule
// and folds the loops into left-associative trees iteratively.
//
// Error tokens (ERROR_CHAR, UNTERMINATED_STRING, BAD_NUMBER, RESERVED, ...)
// never reach the parser: the layout pass turns them into diagnostics.
grammar Ravel;

tokens { INDENT, DEDENT, LINE_MAGIC }

// ------------------------------------------------------------------ statements

fileInput : (NEWLINE | stmt | magicStmt)* EOF ;

stmt : simpleStmt | compoundStmt ;

// IPython line magic; the layout pass makes LINE_MAGIC only at a line start.
magicStmt : LINE_MAGIC smallStmt NEWLINE ;

simpleStmt : smallStmt (SEMI smallStmt)* SEMI? NEWLINE ;

smallStmt : exprStmt | returnStmt | passStmt | breakStmt | continueStmt | importStmt ;

// Targets are parsed as expressions and checked by the AST builder.
exprStmt : testList (augAssign testList | (ASSIGN testList)*) ;

augAssign
    : PLUS_ASSIGN | MINUS_ASSIGN | STAR_ASSIGN | SLASH_ASSIGN | DSLASH_ASSIGN
    | PERCENT_ASSIGN | DSTAR_ASSIGN | AT_ASSIGN | AMP_ASSIGN | VBAR_ASSIGN
    | CARET_ASSIGN | LSHIFT_ASSIGN | RSHIFT_ASSIGN
    ;

returnStmt : RETURN testList? ;

passStmt : PASS ;

breakStmt : BREAK ;

continueStmt : CONTINUE ;

importStmt : importName | importFrom ;

importName : IMPORT dottedAsName (COMMA dottedAsName)* ;

dottedAsName : dottedName (AS NAME)? ;

importFrom
    : FROM dottedName IMPORT (STAR | LPAR importAsNames COMMA? RPAR | importAsNames) ;

importAsNames : importAsName (COMMA importAsName)* ;

importAsName : NAME (AS NAME)? ;

dottedName : NAME (DOT NAME)* ;

compoundStmt : funcDef | ifStmt | whileStmt | forStmt | withStmt ;

// `elif` chains become nested IfStmts in the AST, as in Python's.
ifStmt : IF expr COLON suite (ELIF expr COLON suite)* (ELSE COLON suite)? ;

whileStmt : WHILE expr COLON suite (ELSE COLON suite)? ;

forStmt : FOR targetList IN testList COLON suite (ELSE COLON suite)? ;

// One context manager, no `as`: ravel has errstate only (checked in sema).
withStmt : WITH expr COLON suite ;

// Python's exprlist: operands at the `|` level, so `in` ends the target.
targetList : bitOr (COMMA bitOr)* COMMA? ;

funcDef : DEF NAME LPAR parameters? RPAR COLON suite ;

parameters : param (COMMA param)* COMMA? ;

param : NAME (ASSIGN expr)? ;

suite : simpleStmt | NEWLINE INDENT stmt+ DEDENT ;

// ----------------------------------------------------------------- expressions

// `a, b` (a bare tuple when it has a comma) or a single expression.
testList : expr (COMMA expr)* COMMA? ;

// Python's `test`: an or-test, or a conditional expression `a if c else b`.
expr : orTest (IF orTest ELSE expr)? ;

orTest : andTest (OR andTest)* ;

andTest : notTest (AND notTest)* ;

notTest : NOT notTest | comparison ;

comparison : bitOr (compOp bitOr)* ;

compOp : LT | GT | EQEQ | GE | LE | NE | IN | NOT IN | IS | IS NOT ;

bitOr : bitXor (VBAR bitXor)* ;

bitXor : bitAnd (CARET bitAnd)* ;

bitAnd : shiftExpr (AMP shiftExpr)* ;

shiftExpr : arith ((LSHIFT | RSHIFT) arith)* ;

arith : term ((PLUS | MINUS) term)* ;

term : factor ((STAR | SLASH | DSLASH | PERCENT | AT) factor)* ;

factor : (PLUS | MINUS | TILDE) factor | power ;

// Right-associative; the exponent is a factor so `2**-1` works.
power : primary (DSTAR factor)? ;

primary : atom trailer* ;

trailer : LPAR argList? RPAR | LSQB subscriptList RSQB | DOT NAME ;

argList : argument (COMMA argument)* COMMA? ;

argument : NAME ASSIGN expr | DSTAR expr | expr ;

subscriptList : subscript (COMMA subscript)* COMMA? ;

subscript
    : expr (COLON expr? (COLON expr?)?)?
    | COLON expr? (COLON expr?)?
    ;

atom
    : LPAR testList? RPAR
    | LSQB listBody? RSQB
    | NAME
    | INT
    | FLOAT
    | IMAG
    | (STRING | FSTRING)+
    | ELLIPSIS
    | NONE
    | TRUE
    | FALSE
    ;

// A list display `[a, b]` or a list comprehension `[e for x in it if c]`.
listBody : expr (compFor | (COMMA expr)* COMMA?) ;

// One or more `for ... in ...` clauses, each with its `if` filters; the
// iterable is an or-test so that `if` starts a filter (Python's grammar).
compFor : (FOR targetList IN orTest (IF orTest)*)+ ;

// ---------------------------------------------------------------------- lexer

DEF : 'def' ;
RETURN : 'return' ;
PASS : 'pass' ;
IMPORT : 'import' ;
FROM : 'from' ;
AS : 'as' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
IS : 'is' ;
IN : 'in' ;
NONE : 'None' ;
TRUE : 'True' ;
FALSE : 'False' ;
IF : 'if' ;
ELIF : 'elif' ;
ELSE : 'else' ;
WHILE : 'while' ;
WITH : 'with' ;
FOR : 'for' ;
BREAK : 'break' ;
CONTINUE : 'continue' ;

// Python keywords ravel does not support: reported by name, never identifiers.
RESERVED
    : 'class' | 'lambda' | 'yield' | 'try' | 'except' | 'finally' | 'raise'
    | 'global' | 'nonlocal' | 'del' | 'assert' | 'async' | 'await'
    ;

// Identifiers are ASCII-only (no NFKC normalisation): a non-ASCII letter is
// an ERROR_CHAR, reported with its code point.
NAME : [a-zA-Z_] [a-zA-Z0-9_]* ;

FLOAT
    : DIGITS '.' DIGITS? EXPONENT?
    | '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;

INT
    : [1-9] ('_'? [0-9])*
    | '0' ('_'? '0')*
    | '0' [xX] ('_'? [0-9a-fA-F])+
    | '0' [oO] ('_'? [0-7])+
    | '0' [bB] ('_'? [01])+
    ;

// An imaginary literal (`5j`, `2.5J`): Python's complex numbers, which ravel
// accepts only as a slice step, mgrid's and ogrid's number of points (sema).
IMAG : (FLOAT | DIGITS) [jJ] ;

// A digit run glued to letters or misplaced underscores (`1abc`, `1__0`,
// `0b102`, `007`, `1.5e`). Valid literals win ties because they come first.
BAD_NUMBER : [0-9] [0-9a-zA-Z_]* ('.' [0-9a-zA-Z_]*)? ;

STRING
    : STRING_PREFIX? ( '\'\'\'' ( ~'\\' | ESCAPE )*? '\'\'\''
                     | '"""' ( ~'\\' | ESCAPE )*? '"""'
                     | '\'' ( ~['\\\r\n] | ESCAPE )* '\''
                     | '"' ( ~["\\\r\n] | ESCAPE )* '"'
                     )
    ;

// An f-string: replacement fields are split out and parsed by the frontend.
FSTRING
    : FSTRING_PREFIX ( '\'\'\'' ( ~'\\' | ESCAPE )*? '\'\'\''
                     | '"""' ( ~'\\' | ESCAPE )*? '"""'
                     | '\'' ( ~['\\\r\n] | ESCAPE )* '\''
                     | '"' ( ~["\\\r\n] | ESCAPE )* '"'
                     )
    ;

UNTERMINATED_STRING
    : (STRING_PREFIX | FSTRING_PREFIX)? ( '\'' ( ~['\\\r\n] | ESCAPE )* | '"' ( ~["\\\r\n] | ESCAPE )* ) ;

// Bytes literals: reported as unsupported.
UNSUPPORTED_STRING_PREFIX : ([bB] | [bB] [rR] | [rR] [bB]) ['"] ;

// `%name`: IPython magic at a line start, else `%` followed by a name (the
// layout pass splits it).
MAGIC : '%' [a-zA-Z_] [a-zA-Z0-9_]* ;

ELLIPSIS : '...' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
SEMI : ';' ;
LPAR : '(' ;
RPAR : ')' ;
LSQB : '[' ;
RSQB : ']' ;

PLUS_ASSIGN : '+=' ;
MINUS_ASSIGN : '-=' ;
STAR_ASSIGN : '*=' ;
SLASH_ASSIGN : '/=' ;
DSLASH_ASSIGN : '//=' ;
PERCENT_ASSIGN : '%=' ;
DSTAR_ASSIGN : '**=' ;
AT_ASSIGN : '@=' ;
AMP_ASSIGN : '&=' ;
VBAR_ASSIGN : '|=' ;
CARET_ASSIGN : '^=' ;
LSHIFT_ASSIGN : '<<=' ;
RSHIFT_ASSIGN : '>>=' ;

EQEQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
ASSIGN : '=' ;

DSTAR : '**' ;
DSLASH : '//' ;
LSHIFT : '<<' ;
RSHIFT : '>>' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
AT : '@' ;
AMP : '&' ;
VBAR : '|' ;
CARET : '^' ;
TILDE : '~' ;

NEWLINE : '\r'? '\n' | '\r' ;

LINE_JOIN : '\\' [ \t\f]* ('\r'? '\n' | '\r') -> skip ;

WS : [ \t\f]+ -> skip ;

COMMENT : '#' ~[\r\n]* -> skip ;

// Anything else, one code point at a time (non-ASCII outside strings and
// comments, `$`, `?`, `{`, a stray backslash, ...).
ERROR_CHAR : . ;

fragment DIGITS : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment STRING_PREFIX : [rRuU] ;
fragment FSTRING_PREFIX : [fF] | [fF] [rR] | [rR] [fF] ;
fragment ESCAPE : '\\' ('\r\n' | .) ;
