// Bug: push and pop together on a full stack is treated as an overflow instead of replacing the top word.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       push,
    input  wire       pop,
    input  wire [7:0] din,
    output wire [7:0] top_data,
    output wire       empty,
    output wire       full,
    output reg        error
);
    reg [7:0] mem [0:7];
    reg [3:0] size;
    wire [3:0] top_idx = size - 4'd1;   // index of the top word (when not empty)
    assign empty    = (size == 4'd0);
    assign full     = (size == 4'd8);
    assign top_data = mem[top_idx[2:0]];
    always @(posedge clk) begin
        if (rst) begin
            size  <= 4'd0;
            error <= 1'b0;
        end else begin
            error <= 1'b0;
            if (push && full) begin
                error <= 1'b1;
            end else if (push && pop) begin
                if (empty) begin
                    mem[0] <= din;
                    size   <= 4'd1;
                end else begin
                    mem[top_idx[2:0]] <= din;
                end
            end else if (push) begin
                mem[size[2:0]] <= din;
                size <= size + 4'd1;
            end else if (pop) begin
                if (empty) error <= 1'b1;
                else       size  <= size - 4'd1;
            end
        end
    end
endmodule
